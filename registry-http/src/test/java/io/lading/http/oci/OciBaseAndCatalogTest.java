package io.lading.http.oci;

import static io.lading.http.oci.OciTestClient.assertError;
import static io.lading.http.oci.OciTestClient.header;
import static io.lading.http.oci.OciTestClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.LadingServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /v2/} and {@code GET /v2/_catalog}. */
class OciBaseAndCatalogTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    private OciTestClient client;

    @BeforeEach
    void setUp() {
        client = new OciTestClient(server.baseUri());
    }

    @Test
    void baseEndpointAnswers200WithApiVersionHeader() {
        HttpResponse<byte[]> r = client.get("/v2/");
        assertEquals(200, r.statusCode());
        assertEquals("registry/2.0", header(r, "Docker-Distribution-API-Version"));
        assertTrue(json(r.body()).isObject());

        HttpResponse<byte[]> withoutSlash = client.get("/v2");
        assertEquals(200, withoutSlash.statusCode());

        HttpResponse<byte[]> head = client.head("/v2/");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
    }

    @Test
    void catalogPagesThroughRepositoriesInLexicalOrderWithNextLinks() {
        // the only repositories of this class's server
        for (String name : List.of("cat/c", "cat/a", "cat/e", "cat/b", "cat/d")) {
            client.pushBlob(name, ("content of " + name).getBytes());
        }

        HttpResponse<byte[]> all = client.get("/v2/_catalog");
        assertEquals(200, all.statusCode());
        assertEquals("application/json", header(all, "Content-Type"));
        assertEquals(List.of("cat/a", "cat/b", "cat/c", "cat/d", "cat/e"), repositories(all));
        assertNull(header(all, "Link"), "a complete list has no next link");

        HttpResponse<byte[]> first = client.get("/v2/_catalog?n=2");
        assertEquals(200, first.statusCode());
        assertEquals(List.of("cat/a", "cat/b"), repositories(first));
        assertEquals("</v2/_catalog?n=2&last=cat%2Fb>; rel=\"next\"", header(first, "Link"));

        List<String> collected = new ArrayList<>(repositories(first));
        String link = header(first, "Link");
        int pages = 1;
        while (link != null) {
            String next = link.substring(link.indexOf('<') + 1, link.indexOf('>'));
            HttpResponse<byte[]> page = client.get(next);
            assertEquals(200, page.statusCode());
            List<String> items = repositories(page);
            assertTrue(items.size() <= 2, "n=2 caps each page");
            collected.addAll(items);
            link = header(page, "Link");
            assertTrue(++pages < 10, "pagination must end");
        }
        assertEquals(List.of("cat/a", "cat/b", "cat/c", "cat/d", "cat/e"), collected);

        HttpResponse<byte[]> afterLast = client.get("/v2/_catalog?n=2&last=cat/c");
        assertEquals(List.of("cat/d", "cat/e"), repositories(afterLast));
        assertNull(header(afterLast, "Link"), "the last page has no next link");

        HttpResponse<byte[]> afterUnknown = client.get("/v2/_catalog?last=cat/bb");
        assertEquals(List.of("cat/c", "cat/d", "cat/e"), repositories(afterUnknown),
                "last need not name an existing repository");
    }

    @Test
    void catalogWithNZeroReturnsAnEmptyList() {
        client.pushBlob("cat/a", "content of cat/a".getBytes()); // a repository of the paging test
        HttpResponse<byte[]> r = client.get("/v2/_catalog?n=0");
        assertEquals(200, r.statusCode());
        assertEquals(List.of(), repositories(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999999", "99999999999999999999999999"})
    void catalogCapsAbsurdPageSizes(String n) {
        HttpResponse<byte[]> r = client.get("/v2/_catalog?n=" + n);
        assertEquals(200, r.statusCode(), () -> OciTestClient.body(r));
        assertTrue(json(r.body()).get("repositories").isArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "0x10"})
    void catalogRejectsNegativeOrNonNumericPageSize(String n) {
        JsonNode error = assertError(client.get("/v2/_catalog?n=" + n), 400, "PAGINATION_NUMBER_INVALID");
        assertEquals("n", error.get("detail").get("parameter").asText());
    }

    @Test
    void catalogAcceptsOnlyGet() {
        assertError(client.delete("/v2/_catalog"), 405, "UNSUPPORTED");
        assertError(client.post("/v2/_catalog", new byte[0]), 405, "UNSUPPORTED");
    }

    private static List<String> repositories(HttpResponse<byte[]> r) {
        List<String> out = new ArrayList<>();
        json(r.body()).get("repositories").forEach(n -> out.add(n.asText()));
        return out;
    }
}
