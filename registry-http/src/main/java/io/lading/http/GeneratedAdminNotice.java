package io.lading.http;

import io.lading.auth.credential.UserConfig;
import java.io.Console;
import java.io.PrintStream;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator about the administrator that the first start generated. On a terminal the whole key
 * pair is printed once, for a person to copy. Otherwise (standard output redirected: a container, a
 * service manager, a pipe into a log system) the secret is never written; the log names the access key
 * id and the owner-only file that holds the secret, and how to read it. Stateless.
 */
final class GeneratedAdminNotice {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratedAdminNotice.class);

    private GeneratedAdminNotice() {
    }

    /**
     * Announces {@code admin}, stored in {@code file}.
     *
     * @param terminal whether standard output is a terminal ({@link #stdoutIsTerminal()}); only then is
     *     the secret printed, to {@code out}
     */
    static void announce(UserConfig admin, Path file, boolean terminal, PrintStream out) {
        if (terminal) {
            out.println("""

                    ==== Lading generated an administrator access key (shown once) ====
                      AWS_ACCESS_KEY_ID=%s
                      AWS_SECRET_ACCESS_KEY=%s
                      account (registry id): %s
                      stored in %s (readable by its owner only)
                      docker/skopeo login: user %s, password = the secret, or user AWS with
                      password $(aws ecr get-login-password --endpoint-url http://<host:port>)
                    ===================================================================
                    """.formatted(admin.accessKeyId(), admin.secretAccessKey(), admin.accountId(), file,
                    admin.accessKeyId()));
            return;
        }
        LOG.warn("Generated an administrator access key {} for account {}. Its secret is not printed because"
                + " standard output is not a terminal; it is stored in {} (readable by its owner only): read it"
                + " as that user with: jq -r .secretAccessKey {}", admin.accessKeyId(), admin.accountId(), file, file);
    }

    /**
     * Whether standard output is an interactive terminal: {@link System#console()} is null when standard
     * input or output is redirected, and on JDK 22 and later a console that is not a terminal says so.
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }
}
