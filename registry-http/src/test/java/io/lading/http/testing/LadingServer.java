package io.lading.http.testing;

import io.lading.http.Lading;
import io.lading.http.config.ConfigLoader;
import io.lading.http.ecr.EcrTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real Lading on a free port over a fresh data directory for a test class, and stops it
 * afterwards. Register with {@code @RegisterExtension static LadingServer server = new LadingServer();}
 * and pass extra configuration flags ({@code "--auth.dataPlane=off"}) to the constructor; later flags win.
 *
 * <p>Tests run as users would: {@code /v2} authentication is required, and unless the flags name a
 * {@code --config} file the one user is {@link EcrTestSupport#TESTER} (full access) in account
 * {@link EcrTestSupport#ACCOUNT}. {@code registry.createOnPush} is on, so data-plane tests can push to
 * fresh repositories (its default, off, is tested on its own).
 *
 * <p>Metadata is in the engine {@link TestMetadata} names: the embedded SQLite file, or a fresh PostgreSQL
 * database per data directory (kept across {@link #stop()} and {@link #start()}, dropped after the class).
 */
public final class LadingServer implements LadingNode, BeforeAllCallback, AfterAllCallback {

    private final Supplier<List<String>> flags;
    private final boolean defaultUsers;
    private Path dataDir;
    private Lading lading;

    public LadingServer(String... flags) {
        this(true, flags);
    }

    private LadingServer(boolean defaultUsers, String... flags) {
        this(defaultUsers, () -> List.of(flags));
    }

    private LadingServer(boolean defaultUsers, Supplier<List<String>> flags) {
        this.flags = flags;
        this.defaultUsers = defaultUsers;
    }

    /**
     * A server whose flags are known only when it starts: for example those naming a server another
     * extension of the class started first (extensions start in the order of their fields).
     */
    public static LadingServer withFlags(Supplier<List<String>> flags) {
        return new LadingServer(true, flags);
    }

    /**
     * A server configured with no users at all, as a first start on a fresh machine: Lading generates
     * its administrator (see {@link Lading#admin()}).
     */
    public static LadingServer withoutUsers(String... flags) {
        return new LadingServer(false, flags);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDir = Files.createTempDirectory("lading-test");
        start();
    }

    /** Starts (or restarts, after {@link #stop()}) the server over the same data directory. */
    public void start() throws Exception {
        lading = Lading.start(ConfigLoader.load(arguments(dataDir, defaultUsers, flags.get()).toArray(String[]::new), Map.of())
                .config());
    }

    /**
     * The command-line arguments of a test server over {@code dataDir}, as this class starts it: port 0,
     * {@code /v2} authentication required, create-on-push, the default test user unless {@code defaultUsers}
     * is false or {@code flags} name a {@code --config} file, the metadata database of {@link TestMetadata}
     * unless {@code flags} name a {@code --storage.metadataUrl}, then {@code flags} (later flags win).
     * {@link LadingProcess} passes the same to a child JVM.
     */
    public static List<String> arguments(Path dataDir, boolean defaultUsers, List<String> flags) throws Exception {
        List<String> args = new ArrayList<>();
        args.add("--server.port=0");
        args.add("--storage.root=" + dataDir);
        args.add("--auth.dataPlane=required");
        args.add("--registry.createOnPush=true");
        if (defaultUsers && flags.stream().noneMatch(f -> f.startsWith("--config"))) {
            args.add("--auth.accountId=" + EcrTestSupport.ACCOUNT);
            args.add("--config=" + EcrTestSupport.usersFile(List.of(EcrTestSupport.TESTER)));
        }
        if (flags.stream().noneMatch(f -> f.startsWith("--storage.metadataUrl="))) {
            args.addAll(TestMetadata.flags(dataDir));
        }
        args.addAll(flags);
        return args;
    }

    public void stop() {
        if (lading != null) {
            lading.close();
            lading = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        TestMetadata.release(dataDir);
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    public int port() {
        return lading.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Lading lading() {
        return lading;
    }
}
