package io.lading.http;

import io.lading.auth.credential.GeneratedAdmin;
import io.lading.auth.credential.StaticCredentials;
import io.lading.auth.credential.UserConfig;
import io.lading.auth.sigv4.SigV4Verifier;
import io.lading.auth.token.RegistryTokens;
import io.lading.auth.token.SigningKeyRing;
import io.lading.core.Registry;
import io.lading.core.spi.BlobStore;
import io.lading.core.spi.MetadataStore;
import io.lading.auth.policy.ManagedPolicies;
import io.lading.http.authz.Authorizer;
import io.lading.http.authz.ConfiguredPrincipals;
import io.lading.http.authz.IdentityPolicies;
import io.lading.http.config.LadingConfig;
import io.lading.http.authz.RequestRateLimiter;
import io.lading.http.ecr.EcrApi;
import io.lading.http.ecr.EcrAuthenticator;
import io.lading.http.ecr.EcrOperations;
import io.lading.http.ecr.NextTokens;
import io.lading.http.ecr.RegistryIdentity;
import io.lading.http.ecr.auth.AuthOperations;
import io.lading.http.ecr.image.ImageOperations;
import io.lading.http.ecr.layer.LayerOperations;
import io.lading.http.ecr.policy.PolicyOperations;
import io.lading.http.ecr.registry.RegistryOperations;
import io.lading.http.ecr.repository.RepositoryOperations;
import io.lading.http.ecr.repository.TagOperations;
import io.lading.http.admin.AdminApi;
import io.lading.http.admin.AdminEndpoint;
import io.lading.http.admin.QuarantineReport;
import io.lading.http.admin.SigningKeyRotation;
import io.lading.http.oci.DataPlaneAuth;
import io.lading.http.ecr.lifecycle.LifecyclePreviewOperations;
import io.lading.lifecycle.expire.LifecyclePlanning;
import io.lading.lifecycle.expire.LifecycleExpirer;
import io.lading.lifecycle.gc.GarbageCollector;
import io.lading.http.oci.OciApi;
import io.lading.http.oci.PresignedBlobUrls;
import io.lading.http.server.Dispatcher;
import io.lading.http.server.RegistryServer;
import io.lading.storage.local.LocalDiskMetadataStore;
import io.lading.storage.local.LocalDiskLayout;
import io.lading.storage.local.StorageRootLock;
import io.lading.storage.local.TempSpace;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running registry: stores, services, both APIs, the HTTP server and background tasks, wired from a config. */
public final class Lading implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lading.class);
    /** The lease the node running the scheduled lifecycle expirer holds. */
    static final String EXPIRER_LEASE = "expirer";

    private final RegistryServer server;
    private final BackgroundTasks background;
    private final Registry registry;
    private final int port;
    private final UserConfig admin;
    private final EcrOperations ecrOperations;
    private final AdminApi adminApi;
    /** The lock on the storage root, held with the embedded database only; null with PostgreSQL. */
    private final StorageRootLock rootLock;
    private final MetadataBackend metadataBackend;
    private final BlobBackend blobBackend;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Lading(StorageRootLock rootLock, MetadataBackend metadataBackend, BlobBackend blobBackend,
            RegistryServer server,
            BackgroundTasks background, Registry registry, int port, UserConfig admin, EcrOperations ecrOperations,
            AdminApi adminApi) {
        this.rootLock = rootLock;
        this.metadataBackend = metadataBackend;
        this.blobBackend = blobBackend;
        this.adminApi = adminApi;
        this.server = server;
        this.background = background;
        this.registry = registry;
        this.port = port;
        this.admin = admin;
        this.ecrOperations = ecrOperations;
    }

    /**
     * Opens the stores under {@code storage.root} and the metadata database, and starts serving. With the
     * embedded database (SQLite in the root) the root is first locked for this process until
     * {@link #close()}; with PostgreSQL several nodes share one root (a shared filesystem) and one database,
     * so the root is not locked.
     *
     * @throws StorageRootLock.RootInUse if, with the embedded database, another Lading process (or another
     *     instance in this JVM) serves the same root; nothing in the root was touched
     */
    public static Lading start(LadingConfig config) throws Exception {
        Path root = config.storage().root().toAbsolutePath().normalize();
        // before anything else in the root: a second process would wipe the first one's tmp/
        StorageRootLock rootLock = config.storage().embeddedMetadata() ? StorageRootLock.acquire(root) : null;
        try {
            return start(config, root, rootLock);
        } catch (Exception | Error e) {
            if (rootLock != null) {
                rootLock.close();
            }
            throw e;
        }
    }

    private static Lading start(LadingConfig config, Path root, StorageRootLock rootLock) throws Exception {
        Clock clock = Clock.systemUTC();
        MetadataStore metadata = new LocalDiskMetadataStore(root);
        BlobBackend blobs = BlobBackend.open(config.storage(), root);
        try {
            MetadataBackend backend = MetadataBackend.open(config.storage(), root, config.auth().accountId(),
                    digest -> blobs.store().stat(digest).isPresent());
            try {
                return start(config, root, rootLock, clock, metadata, blobs, backend);
            } catch (Exception | Error e) {
                backend.close();
                throw e;
            }
        } catch (Exception | Error e) {
            blobs.close();
            throw e;
        }
    }

    private static Lading start(LadingConfig config, Path root, StorageRootLock rootLock, Clock clock,
            MetadataStore metadata, BlobBackend blobs, MetadataBackend backend) throws Exception {
        BlobStore blobStore = blobs.store();
        Registry registry = Registry.open(backend.catalog(), backend.marks(), backend.accountSettings(), backend.secrets(),
                metadata, blobStore, blobs.uploads(),
                config.registry().settings(), clock);

        LadingConfig.Auth auth = config.auth();
        List<UserConfig> users = new ArrayList<>();
        IdentityPolicies.Builder policies = IdentityPolicies.builder();
        java.util.Set<String> accounts = new java.util.HashSet<>(List.of(auth.accountId()));
        for (LadingConfig.User u : config.auth().users()) {
            String account = u.accountId() == null || u.accountId().isBlank() ? auth.accountId() : u.accountId();
            UserConfig user = new UserConfig(u.name(), account, u.accessKeyId(), u.secretAccessKey());
            users.add(user);
            accounts.add(account);
            // fails start-up with a message naming the user when a policy is unknown or invalid
            policies.add(u.name(), user.principal().arn(), u.policies());
        }
        UserConfig admin = null;
        if (users.isEmpty()) {
            GeneratedAdmin generated = GeneratedAdmin.loadOrCreate(root, auth.accountId());
            admin = generated.user();
            users.add(admin);
            policies.add(admin.name(), admin.principal().arn(), List.of(ManagedPolicies.FULL_ACCESS));
            if (generated.created()) {
                GeneratedAdminNotice.announce(admin, root.resolve(GeneratedAdmin.FILE),
                        GeneratedAdminNotice.stdoutIsTerminal(), System.out);
            } else {
                log.info("Administrator access key {} (secret in {})", admin.accessKeyId(),
                        root.resolve(GeneratedAdmin.FILE));
            }
        }
        StaticCredentials credentials = new StaticCredentials(users);
        // one key source for passwords and presigned URLs, shared by every node through the metadata database;
        // loaded (or generated) now, so that a corrupt key ring stops start-up rather than the first login
        SigningKeyRing signingKeys = new SigningKeyRing(backend.secrets(), clock);
        log.info("Password signing key {} (previous {})", signingKeys.currentKeyId(),
                signingKeys.previousKeyId().orElse("none"));
        RegistryTokens tokens = new RegistryTokens(signingKeys, credentials, clock, auth.tokenLifetime());
        SigV4Verifier sigv4 = new SigV4Verifier(credentials, auth.region(), "ecr", clock, auth.maxClockSkew(), true);

        String publicUrl = config.server().publicUrl();
        RegistryIdentity identity = publicUrl == null || publicUrl.isBlank()
                ? new RegistryIdentity("aws", auth.region(), config.server().host() + ":" + config.server().port(), "http",
                        auth.accountId())
                : identityOf(URI.create(publicUrl), auth.region(), auth.accountId());
        IdentityPolicies identityPolicies = policies.build();
        Authorizer authorizer = new Authorizer(identityPolicies, registry.index(), registry.accounts(), "aws",
                auth.region(), auth.accountId(), clock);
        ConfiguredPrincipals principals = new ConfiguredPrincipals(accounts, identityPolicies);
        EcrOperations operations = new EcrOperations();
        new RepositoryOperations(registry.repositories(), registry.index(), new NextTokens(), clock, authorizer).register(operations);
        new TagOperations(registry.repositories()).register(operations);
        new PolicyOperations(registry.repositories(), registry.accounts(), authorizer, principals).register(operations);
        new RegistryOperations(registry.accounts()).register(operations);
        new AuthOperations(tokens).register(operations);
        PresignedBlobUrls presignedBlobs = new PresignedBlobUrls(signingKeys, clock);
        new ImageOperations(registry.manifests(), registry.index(), new NextTokens()).register(operations);
        new LayerOperations(registry.uploads(), registry.index(), presignedBlobs, registry.blobs()).register(operations);
        RequestRateLimiter rateLimiter = config.server().rateLimiter();
        TempSpace spool = TempSpace.claim(new LocalDiskLayout(root).tmp()); // ECR layer parts, preview entries
        LifecyclePlanning planning = new LifecyclePlanning(1); // each keeps a database connection busy: one at a time
        new LifecyclePreviewOperations(registry.repositories(), backend.previews(), planning, new NextTokens(), clock,
                spool::newPath).register(operations);
        EcrApi ecr = new EcrApi(operations, EcrAuthenticator.sigV4(sigv4), identity, publicUrl == null || publicUrl.isBlank(),
                authorizer, spool::newPath, rateLimiter);

        DataPlaneAuth dataPlane = new DataPlaneAuth(switch (auth.dataPlane()) {
            case "anonymousPull" -> DataPlaneAuth.Mode.ANONYMOUS_PULL;
            case "off" -> DataPlaneAuth.Mode.OFF;
            default -> DataPlaneAuth.Mode.REQUIRED;
        }, tokens, credentials, clock);
        // keys rotated (and retired) by another node: passwords verified here are checked again
        signingKeys.onReload(dataPlane::forgetVerified);
        OciApi oci = new OciApi(registry, dataPlane, presignedBlobs, authorizer, auth.accountId(), rateLimiter);
        GarbageCollector gc = new GarbageCollector(registry.index(), blobStore, registry.marks(), registry.uploads(),
                backend.leases(), backend.node(), clock, config.lifecycle().gcGracePeriod());
        LifecycleExpirer expirer = new LifecycleExpirer(registry.index(), registry.manifests(), clock, planning);
        BackgroundTasks background = new BackgroundTasks();
        AdminApi adminApi = new AdminApi(dataPlane, List.of(
                AdminEndpoint.dryRunTask("gc", gc::run),
                AdminEndpoint.dryRunTask("expire", expirer::run),
                SigningKeyRotation.endpoint(signingKeys, dataPlane::forgetVerified),
                AdminEndpoint.report("quarantine", () -> QuarantineReport.of(registry.index().quarantined())),
                AdminEndpoint.report("metrics", () -> {
                    Map<String, Long> all = new java.util.TreeMap<>(gc.metrics());
                    all.putAll(expirer.metrics());
                    all.putAll(authorizer.metrics());
                    all.putAll(background.metrics());
                    all.putAll(rateLimiter.metrics());
                    all.putAll(MemoryMetrics.snapshot());
                    all.putAll(backend.metrics());
                    all.put("metadataQuarantined", (long) registry.index().quarantined().size());
                    return all;
                })), oci, authorizer);
        RegistryServer server = new RegistryServer(new Dispatcher(List.of(ecr, adminApi, oci)),
                config.server().settings());
        int port;
        try {
            port = server.start();
        } catch (Exception e) {
            server.close(); // its event loop threads would keep the JVM alive
            background.close();
            String address = config.server().host() + ":" + config.server().port();
            throw new StartupFailure("cannot listen on " + address + ": " + rootMessage(e)
                    + " (change --server.port / server.port, or --server.host, or stop what is using it)", e);
        }
        background.every("uploadExpiry", "Upload expiry", config.registry().uploadExpiryInterval(),
                () -> registry.uploads().expire());
        background.every("expirer", "Lifecycle expirer", config.lifecycle().expirerInterval(),
                () -> backend.asLeader(EXPIRER_LEASE, config.lifecycle().expirerInterval(), () -> expirer.run(false)));
        // the collector takes its own lease (an operator's run through /_lading/gc too)
        background.every("gc", "Garbage collection", config.lifecycle().gcInterval(), () -> gc.run(false));
        if (!io.lading.core.digest.ResumableSha256.usesJdkDigest()) {
            log.warn("Uploads hash with Bouncy Castle's SHA-256, about six times slower than the JDK's: run the jar with"
                    + " java -jar, or pass {} (docs/operations.md)", String.join(" ", io.lading.core.digest.ResumableSha256.JVM_OPENS));
        }
        log.info("Lading listening on http://{}:{} (data in {}, blobs in {}, account {}, region {}, /v2 auth {})",
                config.server().host(), port, root, blobs.where(), auth.accountId(), auth.region(), auth.dataPlane());
        return new Lading(rootLock, backend, blobs, server, background, registry, port, admin, operations, adminApi);
    }

    /** The innermost message of {@code e}'s causes, e.g. {@code Address already in use}. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int colon = m.lastIndexOf("failed: ");
        return colon >= 0 ? m.substring(colon + "failed: ".length()) : m;
    }

    private static RegistryIdentity identityOf(URI url, String region, String account) {
        String host = url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
        return new RegistryIdentity("aws", region, host, url.getScheme() == null ? "http" : url.getScheme(), account);
    }

    public int port() {
        return port;
    }

    public Registry registry() {
        return registry;
    }

    /** The ECR operation table this instance serves (what {@code docs/ecr-api.md} reports as implemented). */
    public EcrOperations ecrOperations() {
        return ecrOperations;
    }

    /** The operator endpoints this instance serves under {@code /_lading/}. */
    public java.util.Collection<AdminEndpoint> adminEndpoints() {
        return adminApi.endpoints().values();
    }

    /** The generated administrator, or null when users are configured. */
    public UserConfig admin() {
        return admin;
    }

    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        background.close();
        server.close();
        registry.manifests().close(); // the pull times still queued, before their database closes
        metadataBackend.close();
        blobBackend.close();
        if (rootLock != null) {
            rootLock.close();
        }
        stopped.countDown();
    }
}
