package io.lading.http;

import io.lading.http.config.ConfigLoader;
import io.lading.http.config.LadingConfig;
import io.lading.storage.local.StorageRootLock;
import org.slf4j.LoggerFactory;

/**
 * Starts Lading: {@code java -jar lading.jar [--config FILE] [--section.key=value ...]}; or, with
 * {@code rotate-signing-key} as the first argument, rotates the password signing key of a stopped
 * registry ({@link RotateSigningKeyCommand}) with the same configuration arguments.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        boolean rotate = args.length > 0 && args[0].equals(RotateSigningKeyCommand.NAME);
        if (rotate) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        ConfigLoader.Loaded loaded;
        try {
            loaded = ConfigLoader.load(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("lading: " + e.getMessage());
            System.err.println("Run with --help to list the configuration keys.");
            System.exit(2);
            return;
        }
        if (loaded.helpRequested()) {
            System.out.print(ConfigLoader.help());
            return;
        }
        LadingConfig config = loaded.config();
        if (rotate) {
            System.exit(RotateSigningKeyCommand.run(config, System.out, System.err));
            return;
        }
        Lading lading;
        try {
            lading = Lading.start(config);
        } catch (StorageRootLock.RootInUse | StartupFailure e) {
            System.err.println("lading: " + e.getMessage());
            System.exit(1);
            return;
        } catch (Exception e) {
            // anything else is unexpected: one line here, the whole trace in the log for a bug report
            LoggerFactory.getLogger(Main.class).debug("Start-up failed", e);
            System.err.println("lading: cannot start: " + e + " (LADING_LOG_LEVEL=DEBUG shows where)");
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(lading::close, "shutdown"));
        lading.awaitTermination();
    }
}
