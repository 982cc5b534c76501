package io.lading.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lading.auth.credential.UserConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The generated administrator's secret reaches standard output only when that is a terminal; otherwise
 * (a container shipping stdout to a log system) only the access key id and the file holding the secret
 * are logged.
 */
class GeneratedAdminNoticeTest {

    private static final UserConfig ADMIN = new UserConfig("admin", "123456789012", "AKIAGENERATED00001",
            "generated-secret-access-key-0000000000000");
    private static final Path FILE = Path.of("/var/lib/lading/auth/admin-credentials.json");

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(GeneratedAdminNotice.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    private String printed() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String logged() {
        return String.join("\n", log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
    }

    @Test
    void aTerminalIsShownTheKeyPairOnce() {
        GeneratedAdminNotice.announce(ADMIN, FILE, true, new PrintStream(stdout, true, StandardCharsets.UTF_8));
        assertTrue(printed().contains("AWS_SECRET_ACCESS_KEY=" + ADMIN.secretAccessKey()), printed());
        assertTrue(printed().contains("AWS_ACCESS_KEY_ID=" + ADMIN.accessKeyId()), printed());
        assertFalse(logged().contains(ADMIN.secretAccessKey()), logged());
    }

    @Test
    void redirectedOutputGetsWhereTheSecretIsNeverTheSecret() {
        GeneratedAdminNotice.announce(ADMIN, FILE, false, new PrintStream(stdout, true, StandardCharsets.UTF_8));
        assertEquals("", printed());
        assertFalse(logged().contains(ADMIN.secretAccessKey()), logged());
        assertTrue(logged().contains(ADMIN.accessKeyId()), logged());
        assertTrue(logged().contains("jq -r .secretAccessKey " + FILE), logged());
    }
}
