package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lading.http.ecr.EcrTestSupport;
import io.lading.http.testing.LadingServer;
import io.lading.http.testing.StoredMetadata;
import io.lading.http.testing.LegacyLayout;
import io.lading.http.testing.TestHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A root written by an older Lading (one metadata document per repository, image, tag and blob link) is
 * imported into SQL at the first start; one damaged document (a torn write on a failing disk, an
 * operator's edit) must not keep the registry from starting: it is moved aside, logged, counted and
 * reported, and everything else is imported and serves.
 */
class CorruptMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OCI = "application/vnd.oci.image.manifest.v1+json";

    @RegisterExtension
    static LadingServer server = new LadingServer();

    @Test
    void unreadableDocumentsAreQuarantinedAndEverythingElseServes() throws Exception {
        OciTestClient client = new OciTestClient(server.baseUri());
        OciTestClient.Pushed good = client.pushImage("good/app", "v1", OCI);
        OciTestClient.Pushed image = client.pushImage("bad/image", "v1", OCI);
        client.pushImage("bad/repo", "v1", OCI);
        OciTestClient.Pushed tagged = client.pushImage("bad/tag", "v1", OCI);
        assertEquals(201, client.putManifest("bad/tag", "v2", tagged.bytes(), OCI).statusCode());
        LegacyLayout.downgrade(server);

        Path meta = server.dataDir().resolve("meta/repositories");
        Path imageRecord = meta.resolve("bad/image/_manifests/sha256/" + image.digest().substring(7) + "@");
        Files.writeString(imageRecord, "{\"digest\": \"sha256:");        // torn write
        Files.writeString(meta.resolve("bad/repo/_repository@"), "[]");   // JSON of the wrong shape
        Files.writeString(meta.resolve("bad/tag/_tags/v2@"), "{\"digest\":\"sha256:zz\"}"); // invalid field
        server.start();
        client = new OciTestClient(server.baseUri()); // a new port

        assertEquals(200, client.get("/v2/good/app/manifests/v1").statusCode());
        assertEquals(good.digest(), OciTestClient.header(client.get("/v2/good/app/manifests/v1"), "Docker-Content-Digest"));
        assertError(client.get("/v2/bad/image/manifests/" + image.digest()), 404, "MANIFEST_UNKNOWN");
        assertError(client.get("/v2/bad/repo/tags/list"), 404, "NAME_UNKNOWN");
        assertEquals(200, client.get("/v2/bad/tag/manifests/v1").statusCode());
        assertError(client.get("/v2/bad/tag/manifests/v2"), 404, "MANIFEST_UNKNOWN");

        TestHttp admin = new TestHttp(server);
        JsonNode report = JSON.readTree(admin.send("GET", "/_lading/quarantine", null, null).body());
        // the server's data directory is shared with the other tests here: count this test's documents
        int count = report.get("count").asInt();
        Set<String> keys = new TreeSet<>();
        for (JsonNode doc : report.get("documents")) {
            if (doc.get("key").asText().startsWith("repositories/bad/")) {
                keys.add(doc.get("key").asText());
            }
            assertTrue(!doc.get("reason").asText().isBlank(), doc.toString());
            assertTrue(Files.exists(Path.of(doc.get("quarantinePath").asText())), doc.toString());
        }
        assertEquals(Set.of("repositories/bad/image/_manifests/sha256/" + image.digest().substring(7),
                "repositories/bad/repo/_repository", "repositories/bad/tag/_tags/v2"), keys);
        assertEquals(count, JSON.readTree(admin.send("GET", "/_lading/metrics", null, null).body())
                .get("metadataQuarantined").asInt());
        for (JsonNode doc : report.get("documents")) {
            if (doc.get("key").asText().contains("_manifests")) {
                assertEquals("{\"digest\": \"sha256:", Files.readString(Path.of(doc.get("quarantinePath").asText()),
                        StandardCharsets.UTF_8), "the bytes are kept as they were");
            }
        }

        // the quarantined image record may be what keeps its blobs: garbage collection deletes nothing
        JsonNode gc = JSON.readTree(admin.send("POST", "/_lading/gc", null, null).body());
        assertTrue(gc.get("dryRun").asBoolean(), gc.toString());
        assertEquals(count, gc.get("quarantinedDocuments").asInt(), gc.toString());
        assertEquals(200, client.get("/v2/bad/image/blobs/" + image.layers().get(0).digest()).statusCode());

        server.stop();
        server.start(); // nothing new to quarantine, nothing lost from the quarantine
        client = new OciTestClient(server.baseUri());
        admin = new TestHttp(server);
        assertEquals(count, JSON.readTree(admin.send("GET", "/_lading/quarantine", null, null).body()).get("count").asInt());
        assertEquals(200, client.get("/v2/good/app/manifests/v1").statusCode());
    }

    @Test
    void aRepositoryWhoseRecordIsQuarantinedCannotBeCreatedAfreshSoWhatIsLeftOfItSurvives() throws Exception {
        OciTestClient client = new OciTestClient(server.baseUri());
        client.pushImage("held/app", "v1", OCI);
        LegacyLayout.downgrade(server);
        Path record = server.dataDir().resolve("meta/repositories/held/app/_repository@");
        String original = Files.readString(record);
        Files.writeString(record, "{\"createdAt\": "); // torn write
        server.start();

        HttpResponse<String> create = EcrTestSupport.signedCall(server, "CreateRepository",
                "{\"repositoryName\":\"held/app\"}");
        assertEquals(400, create.statusCode(), create.body());
        assertTrue(create.body().contains("RepositoryAlreadyExistsException"), create.body());
        assertTrue(create.body().contains("quarantine"), create.body());
        Path tag = server.dataDir().resolve("meta/repositories/held/app/_tags/v1@");
        assertTrue(Files.exists(tag), "the tags of the damaged repository are not swept away");

        JsonNode report = JSON.readTree(new TestHttp(server).send("GET", "/_lading/quarantine", null, null).body());
        assertTrue(report.toString().contains("repositories/held/app/_repository"), report.toString());
        assertTrue(original.contains("createdAt"), "the original record is what an operator restores from");
        // the import ran once: a restart does not import (or lose) anything again
        server.stop();
        server.start();
        client = new OciTestClient(server.baseUri());
        assertError(client.get("/v2/held/app/tags/list"), 404, "NAME_UNKNOWN");
        assertTrue(Files.exists(tag));
    }

    @Test
    void unreadableAccountSettingsFailClosedOnBothPlanesUntilRepairedInPlace() throws Exception {
        OciTestClient client = new OciTestClient(server.baseUri());
        client.pushImage("settings/app", "v1", OCI);
        server.lading().registry().accounts().update(EcrTestSupport.ACCOUNT, a -> a.withRegistryPolicy(null));
        server.stop();
        // a damaged row: its scanning configuration does not parse, and the same row holds the registry policy
        assertEquals(1, StoredMetadata.update(server.dataDir(), "UPDATE account_settings SET scanning_configuration"
                + " = '{\"scanType\": [' WHERE account = ?", EcrTestSupport.ACCOUNT));
        try {
            server.start();
            client = new OciTestClient(server.baseUri());
            // its registry policy may deny: refused, never served as if there were none
            assertError(client.get("/v2/settings/app/manifests/v1"), 503, "UNKNOWN");
            HttpResponse<String> describe = EcrTestSupport.signedCall(server, "DescribeRepositories", "{}");
            assertEquals(500, describe.statusCode(), describe.body());
            assertTrue(describe.body().contains("ServerException"), describe.body());
        } finally {
            StoredMetadata.update(server.dataDir(), "UPDATE account_settings SET scanning_configuration = NULL"
                    + " WHERE account = ?", EcrTestSupport.ACCOUNT);
        }
        // repaired while running: served again without a restart (nothing unreadable was cached)
        assertEquals(200, client.get("/v2/settings/app/manifests/v1").statusCode());
    }

}
