package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.OCI_MANIFEST;
import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.oci.OciTestClient.Pushed;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /v2/<name>/tags/list?n=&last=}. */
class OciTagsTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void listsTagsInLexicalOrder() {
        String repo = "test/sortedtags";
        tagAll(repo, "v2", "latest", "1.0", "V1", "alpha", "_x");

        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/tags/list");
        assertEquals(200, r.statusCode());
        assertEquals("application/json", header(r, "Content-Type"));
        JsonNode body = json(r.body());
        assertEquals(repo, body.get("name").asText());
        assertEquals(List.of("1.0", "V1", "_x", "alpha", "latest", "v2"), tags(r));
        assertNull(header(r, "Link"));
    }

    @Test
    void paginatesWithNAndLastAndANextLink() {
        String repo = "test/pagedtags";
        tagAll(repo, "a", "b", "c", "d", "e");

        HttpResponse<byte[]> first = client.get("/v2/" + repo + "/tags/list?n=2");
        assertEquals(200, first.statusCode());
        assertEquals(List.of("a", "b"), tags(first));
        assertEquals("</v2/" + repo + "/tags/list?n=2&last=b>; rel=\"next\"", header(first, "Link"));

        HttpResponse<byte[]> second = client.get(linkTarget(first));
        assertEquals(List.of("c", "d"), tags(second));
        assertEquals("</v2/" + repo + "/tags/list?n=2&last=d>; rel=\"next\"", header(second, "Link"));

        HttpResponse<byte[]> third = client.get(linkTarget(second));
        assertEquals(List.of("e"), tags(third));
        assertNull(header(third, "Link"), "the last page has no next link");

        HttpResponse<byte[]> exact = client.get("/v2/" + repo + "/tags/list?n=2&last=c");
        assertEquals(List.of("d", "e"), tags(exact));
        assertNull(header(exact, "Link"));

        assertEquals(List.of("c", "d", "e"), tags(client.get("/v2/" + repo + "/tags/list?last=bb")),
                "last need not be an existing tag");
        assertEquals(List.of(), tags(client.get("/v2/" + repo + "/tags/list?last=z")));
    }

    @Test
    void nZeroReturnsAnEmptyList() {
        String repo = "test/zerotags";
        tagAll(repo, "a", "b");
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/tags/list?n=0");
        assertEquals(200, r.statusCode());
        assertEquals(List.of(), tags(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999999", "99999999999999999999999999999999"})
    void absurdPageSizeIsCapped(String n) {
        String repo = "test/absurdn";
        tagAll(repo, "a", "b", "c");
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/tags/list?n=" + n);
        assertEquals(200, r.statusCode(), () -> OciTestClient.body(r));
        assertEquals(List.of("a", "b", "c"), tags(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "2.5", "%20"})
    void rejectsNegativeOrNonNumericPageSize(String n) {
        String repo = "test/badn";
        tagAll(repo, "a");
        JsonNode error = assertError(client.get("/v2/" + repo + "/tags/list?n=" + n), 400,
                "PAGINATION_NUMBER_INVALID");
        assertEquals("n", error.get("detail").get("parameter").asText());
    }

    @Test
    void unknownRepositoryIs404NameUnknown() {
        JsonNode error = assertError(client.get("/v2/test/notarepository/tags/list"), 404, "NAME_UNKNOWN");
        assertEquals("test/notarepository", error.get("detail").get("name").asText());
    }

    @Test
    void repositoryWithoutTagsListsNone() {
        String repo = "test/untagged";
        client.pushBlob(repo, "x".getBytes());
        HttpResponse<byte[]> r = client.get("/v2/" + repo + "/tags/list");
        assertEquals(200, r.statusCode());
        assertTrue(json(r.body()).get("tags").isArray());
        assertEquals(List.of(), tags(r));
    }

    /** Pushes one image and tags it with each of {@code tags}. */
    private void tagAll(String repo, String... tags) {
        Pushed p = client.pushImage(repo, tags[0], OCI_MANIFEST);
        for (int i = 1; i < tags.length; i++) {
            client.putOk(repo, tags[i], p.bytes(), OCI_MANIFEST, p.config(), p.layers());
        }
    }

    private static String linkTarget(HttpResponse<byte[]> r) {
        String link = header(r, "Link");
        return link.substring(link.indexOf('<') + 1, link.indexOf('>'));
    }

    private static List<String> tags(HttpResponse<byte[]> r) {
        List<String> out = new ArrayList<>();
        json(r.body()).get("tags").forEach(t -> out.add(t.asText()));
        return out;
    }
}
