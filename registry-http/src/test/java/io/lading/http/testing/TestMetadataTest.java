package io.lading.http.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lading.http.ecr.EcrTestSupport;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engine switch of the server suites holds: a server started by {@link LadingServer} keeps its
 * metadata where {@value TestMetadata#PROPERTY} says, so the PostgreSQL run is not the SQLite run twice.
 */
class TestMetadataTest {

    @RegisterExtension
    static LadingServer server = new LadingServer();

    @Test
    void theServerWritesItsMetadataToTheEngineOfThisRun() throws Exception {
        HttpResponse<String> created = EcrTestSupport.signedCall(server, "CreateRepository",
                "{\"repositoryName\":\"engine/switch\"}");
        assertEquals(200, created.statusCode(), created.body());

        assertEquals(!TestMetadata.postgresql(), Files.exists(server.dataDir().resolve("metadata.db")),
                "an embedded database file exists on SQLite only");
        try (Connection c = TestMetadata.connect(server.dataDir());
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM repositories WHERE name = ?")) {
            s.setString(1, "engine/switch");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(1, r.getInt(1), "the repository is a row of this run's database");
            }
            assertEquals(TestMetadata.postgresql() ? "PostgreSQL" : "SQLite", c.getMetaData().getDatabaseProductName());
        }
    }
}
