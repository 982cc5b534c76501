package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.DOCKER_CONFIG;
import static io.lading.http.oci.OciTestClient.DOCKER_LAYER;
import static io.lading.http.oci.OciTestClient.DOCKER_LIST;
import static io.lading.http.oci.OciTestClient.DOCKER_MANIFEST;
import static io.lading.http.oci.OciTestClient.OCI_CONFIG;
import static io.lading.http.oci.OciTestClient.OCI_INDEX;
import static io.lading.http.oci.OciTestClient.OCI_LAYER;
import static io.lading.http.oci.OciTestClient.OCI_MANIFEST;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.json;
import static io.lading.http.oci.OciTestClient.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.oci.OciTestClient.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Accept-header negotiation of manifest pulls: conversion by tag, never by digest, Accept lines merged. */
class OciManifestNegotiationTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void convertsOciManifestToDockerSchema2WhenOnlyDockerIsAccepted() {
        String repo = "test/ocitodocker";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/v1", "Accept", DOCKER_MANIFEST);
        assertEquals(200, r.statusCode());
        assertEquals(DOCKER_MANIFEST, header(r, "Content-Type"));
        assertEquals(sha256(r.body()), header(r, "Docker-Content-Digest"));
        assertEquals(String.valueOf(r.body().length), header(r, "Content-Length"));

        JsonNode m = json(r.body());
        assertEquals(2, m.get("schemaVersion").asInt());
        assertEquals(DOCKER_MANIFEST, m.get("mediaType").asText());
        assertEquals(DOCKER_CONFIG, m.get("config").get("mediaType").asText());
        assertEquals(p.config().digest(), m.get("config").get("digest").asText());
        assertEquals(p.config().size(), m.get("config").get("size").asLong());
        assertEquals(1, m.get("layers").size());
        assertEquals(DOCKER_LAYER, m.get("layers").get(0).get("mediaType").asText());
        assertEquals(p.layers().get(0).digest(), m.get("layers").get(0).get("digest").asText());

        HttpResponse<byte[]> head = client.head("/v2/" + repo + "/manifests/v1", "Accept", DOCKER_MANIFEST);
        assertEquals(200, head.statusCode());
        assertEquals(DOCKER_MANIFEST, header(head, "Content-Type"));
        assertEquals(sha256(r.body()), header(head, "Docker-Content-Digest"), "HEAD agrees with GET");
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> again = client.get("/v2/" + repo + "/manifests/v1", "Accept", DOCKER_MANIFEST);
        assertArrayEquals(r.body(), again.body(), "the conversion is deterministic");
    }

    @Test
    void convertsDockerSchema2ToOciWhenOnlyOciIsAccepted() {
        String repo = "test/dockertooci";
        Pushed p = client.pushImage(repo, "v1", DOCKER_MANIFEST);

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/v1", "Accept", OCI_MANIFEST);
        assertEquals(200, r.statusCode());
        assertEquals(OCI_MANIFEST, header(r, "Content-Type"));
        assertEquals(sha256(r.body()), header(r, "Docker-Content-Digest"));
        JsonNode m = json(r.body());
        assertEquals(OCI_CONFIG, m.get("config").get("mediaType").asText());
        assertEquals(OCI_LAYER, m.get("layers").get(0).get("mediaType").asText());
        assertEquals(p.layers().get(0).digest(), m.get("layers").get(0).get("digest").asText());
    }

    @Test
    void getByDigestNeverConverts() {
        String repo = "test/bydigest";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/" + p.digest(), "Accept", DOCKER_MANIFEST);
        assertEquals(200, r.statusCode());
        assertArrayEquals(p.bytes(), r.body());
        assertEquals(OCI_MANIFEST, header(r, "Content-Type"));
        assertEquals(p.digest(), header(r, "Docker-Content-Digest"));
    }

    @Test
    void storedTypeIsSentWhenAcceptedOrWhenAnythingIsAccepted() {
        String repo = "test/accepted";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);
        for (String accept : List.of(OCI_MANIFEST, DOCKER_MANIFEST + ", " + OCI_MANIFEST, "*/*",
                DOCKER_MANIFEST + ";q=0.5, " + OCI_MANIFEST + ";q=0.9")) {
            HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/v1", "Accept", accept);
            assertArrayEquals(p.bytes(), r.body(), accept);
            assertEquals(OCI_MANIFEST, header(r, "Content-Type"), accept);
        }
        HttpResponse<byte[]> none = client.get("/v2/" + repo + "/manifests/v1");
        assertArrayEquals(p.bytes(), none.body(), "no Accept header: the stored bytes");
    }

    @Test
    void multipleAcceptLinesAreMerged() {
        String repo = "test/mergedaccept";
        Pushed p = client.pushImage(repo, "v1", OCI_MANIFEST);

        // the stored type is on the second line: only a merged reading finds it
        HttpResponse<byte[]> stored = client.get("/v2/" + repo + "/manifests/v1",
                "Accept", DOCKER_MANIFEST, "Accept", OCI_MANIFEST);
        assertEquals(OCI_MANIFEST, header(stored, "Content-Type"));
        assertArrayEquals(p.bytes(), stored.body());

        // Docker is only on the second line: a merged reading converts, a first-line reading would not
        HttpResponse<byte[]> converted = client.get("/v2/" + repo + "/manifests/v1",
                "Accept", OCI_INDEX, "Accept", DOCKER_MANIFEST);
        assertEquals(DOCKER_MANIFEST, header(converted, "Content-Type"));
        assertEquals(sha256(converted.body()), header(converted, "Docker-Content-Digest"));
    }

    @Test
    void indexesAreNeverConverted() {
        String repo = "test/indexnoconvert";
        Pushed child = client.pushImage(repo, "child", OCI_MANIFEST);
        byte[] index = OciTestClient.index(OCI_INDEX, List.of(child.descriptor()));
        Pushed p = client.putOk(repo, "multi", index, OCI_INDEX, null, List.of());

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/multi", "Accept", DOCKER_LIST);
        assertEquals(200, r.statusCode());
        assertEquals(OCI_INDEX, header(r, "Content-Type"));
        assertArrayEquals(p.bytes(), r.body());
    }

    @Test
    void artifactsAreNotConvertedToDocker() {
        String repo = "test/artifactnoconvert";
        Pushed subject = client.pushImage(repo, "v1", OCI_MANIFEST);
        byte[] artifact = OciTestClient.imageManifest(OCI_MANIFEST, subject.config(), subject.layers(),
                "application/vnd.example.thing", subject.descriptor(), java.util.Map.of());
        client.putOk(repo, "art", artifact, OCI_MANIFEST, subject.config(), subject.layers());

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/manifests/art", "Accept", DOCKER_MANIFEST);
        assertEquals(200, r.statusCode());
        assertEquals(OCI_MANIFEST, header(r, "Content-Type"));
        assertArrayEquals(artifact, r.body());
        assertFalse(json(r.body()).path("mediaType").asText().contains("docker"));
    }
}
