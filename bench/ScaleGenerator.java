import io.lading.core.Registry;
import io.lading.core.digest.Digest;
import io.lading.core.mediatype.MediaTypes;
import io.lading.core.repository.RepositoryName;
import io.lading.core.repository.RepositoryState;
import io.lading.core.tag.Reference;
import io.lading.core.tag.Tag;
import io.lading.http.MetadataBackend;
import io.lading.http.config.ConfigLoader;
import io.lading.http.config.LadingConfig;
import io.lading.storage.local.LocalDiskBlobStore;
import io.lading.storage.local.LocalDiskMetadataStore;
import io.lading.storage.local.LocalDiskUploadStore;
import io.lading.storage.local.StorageRootLock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a large registry for bench/scale.sh through Lading's own write path: the core services of
 * {@link Registry}, opened over the metadata database by the server's own {@link MetadataBackend} (SQLite
 * {@code <root>/metadata.db} or PostgreSQL, cached as the server caches it), with the configuration the
 * server would read from the same arguments.
 * Every image is pushed as a client pushes it: its config uploaded as a monolithic blob, its one or two
 * layers mounted from the base repository (or uploaded there first), then its manifest put by tag with one
 * or two tags, alternately Docker schema 2 and OCI. Not a test: nothing is asserted.
 *
 * <p>The shape: {@code IMAGES} images in {@code REPOS} repositories, of which {@code scale/big} holds
 * {@code BIG} images, {@code scale/mid} holds {@code MID}, and the rest are spread evenly over
 * {@code scale/r000000...} ({@code scale/r000000} also holds the pool of {@value #LAYER_POOL} shared
 * layers). Content is a pure function of (repository, image number), so a second run over the same root
 * skips what is stored (an image counts as stored once its last tag is set) and finishes the rest:
 * killing it loses nothing but the images in flight.
 *
 * <pre>
 * java -cp lading.jar bench/ScaleGenerator.java IMAGES REPOS BIG MID THREADS [LADING ARGS...]
 * </pre>
 * LADING ARGS are the server's own ({@code --config FILE}, {@code --storage.root=DIR},
 * {@code --storage.metadataUrl=...}); {@code registry.createOnPush} is turned on. Prints a progress line
 * every 10 s and, last, {@code generated N skipped S seconds T images/s R}.
 */
public class ScaleGenerator {

    static final int LAYER_POOL = 1000;
    static final String BASE = "scale/r000000";

    final Registry registry;
    final long images;
    final long repos;
    final long big;
    final long mid;
    final Digest[] layers = new Digest[LAYER_POOL];
    final int[] layerSizes = new int[LAYER_POOL];
    final AtomicLong generated = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();

    ScaleGenerator(Registry registry, long images, long repos, long big, long mid) {
        this.registry = registry;
        this.images = images;
        this.repos = repos;
        this.big = big;
        this.mid = mid;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: ScaleGenerator IMAGES REPOS BIG MID THREADS [--config FILE] [--storage.root=DIR] ...");
            System.exit(2);
        }
        long images = Long.parseLong(args[0]);
        long repos = Long.parseLong(args[1]);
        long big = Long.parseLong(args[2]);
        long mid = Long.parseLong(args[3]);
        int threads = Integer.parseInt(args[4]);
        if (repos < 3 || big + mid > images || images - big - mid < repos - 2) {
            System.err.println("ScaleGenerator: need REPOS >= 3 and IMAGES - BIG - MID >= REPOS - 2 (every repository gets an image)");
            System.exit(2);
        }
        String[] ladingArgs = new String[args.length - 5 + 1];
        System.arraycopy(args, 5, ladingArgs, 0, args.length - 5);
        ladingArgs[ladingArgs.length - 1] = "--registry.createOnPush=true";
        LadingConfig config = ConfigLoader.load(ladingArgs, System.getenv()).config();
        Path root = config.storage().root().toAbsolutePath();
        java.nio.file.Files.createDirectories(root);
        LadingConfig.Storage storage = config.storage();
        // the same backend (database, pool size, caches, change feed) as the server
        LocalDiskBlobStore blobs = new LocalDiskBlobStore(root);
        try (StorageRootLock lock = storage.embeddedMetadata() ? StorageRootLock.acquire(root) : null;
                MetadataBackend backend = MetadataBackend.open(storage, root, config.auth().accountId(),
                        digest -> blobs.stat(digest).isPresent())) {
            Registry registry = Registry.open(backend.catalog(), backend.marks(), backend.accountSettings(), backend.secrets(),
                    new LocalDiskMetadataStore(root), blobs, new LocalDiskUploadStore(root), config.registry().settings(),
                    Clock.systemUTC());
            System.out.printf("generating %d images in %d repositories (scale/big %d, scale/mid %d), %d threads, into %s%n",
                    images, repos, big, mid, threads, storage.embeddedMetadata() ? root.resolve("metadata.db") : storage.metadataUrl());
            new ScaleGenerator(registry, images, repos, big, mid).run(threads);
        }
    }

    void run(int threads) throws Exception {
        long start = System.nanoTime();
        pushLayerPool();
        // scale/big and scale/mid first, on half of the threads (their pushes take turns on the
        // repository's write lock anyway), the spread repositories on the others; a thread whose part is
        // done helps with the other
        AtomicLong nextLarge = new AtomicLong();
        AtomicLong nextSmall = new AtomicLong(big + mid);
        int largeThreads = Math.max(1, threads / 2);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            boolean large = t < largeThreads;
            workers.add(pool.submit(() -> {
                pushRange(large ? nextLarge : nextSmall, large ? big + mid : images);
                pushRange(large ? nextSmall : nextLarge, large ? images : big + mid);
                return null;
            }));
        }
        pool.shutdown();
        long lastCount = 0;
        long lastTime = start;
        while (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            long done = generated.get() + skipped.get();
            System.out.printf("  %,d / %,d images (%,d skipped as stored), %.0f images/s now, %.0f s elapsed%n",
                    done, images, skipped.get(), (done - lastCount) / ((now - lastTime) / 1e9), (now - start) / 1e9);
            lastCount = done;
            lastTime = now;
        }
        for (Future<?> w : workers) {
            w.get(); // a failed push stops the run with its cause
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("generated %d skipped %d seconds %.1f images/s %.1f%n", generated.get(), skipped.get(), seconds,
                generated.get() / seconds);
    }

    /** Pushes the images numbered {@code next...end - 1}, taking them a chunk at a time from {@code next}. */
    void pushRange(AtomicLong next, long end) {
        int chunk = 16;
        for (long from; (from = next.getAndAdd(chunk)) < end; ) {
            for (long o = from; o < Math.min(from + chunk, end); o++) {
                pushImage(o);
            }
        }
    }

    /** The shared layers, uploaded into the base repository (skipped where already there). */
    void pushLayerPool() {
        RepositoryName base = RepositoryName.of(BASE);
        for (int i = 0; i < LAYER_POOL; i++) {
            byte[] bytes = layerBytes(i);
            layers[i] = Digest.sha256(bytes);
            layerSizes[i] = bytes.length;
            Optional<RepositoryState> repo = registry.index().find(base);
            if (repo.isEmpty() || repo.get().layerSize(layers[i]).isEmpty()) {
                registry.uploads().upload(base, layers[i], new ByteArrayInputStream(bytes), (long) bytes.length);
            }
        }
    }

    /** Image number {@code o} of the whole registry: its repository and its number there. */
    void pushImage(long o) {
        String repoName;
        long n;
        if (o < big) {
            repoName = "scale/big";
            n = o;
        } else if (o < big + mid) {
            repoName = "scale/mid";
            n = o - big;
        } else {
            long j = o - big - mid;
            long small = repos - 2;
            repoName = String.format("scale/r%06d", j % small);
            n = j / small;
        }
        RepositoryName name = RepositoryName.of(repoName);
        boolean twoTags = n % 2 == 0;
        String lastTag = twoTags ? "build-" + n : "v" + n;
        Optional<RepositoryState> existing = registry.index().find(name);
        if (existing.isPresent() && existing.get().tag(lastTag).isPresent()) {
            skipped.incrementAndGet();
            return;
        }
        Random random = new Random(o * 31 + 7);
        int first = random.nextInt(LAYER_POOL);
        int[] used = n % 3 == 0 ? new int[] {first} : new int[] {first, (first + 1 + random.nextInt(LAYER_POOL - 1)) % LAYER_POOL};
        for (int layer : used) {
            Optional<RepositoryState> repo = registry.index().find(name);
            if (repo.isPresent() && repo.get().layerSize(layers[layer]).isPresent()) {
                continue; // a client's HEAD finds it there
            }
            if (registry.uploads().mount(name, layers[layer], RepositoryName.of(BASE)).isEmpty()) {
                registry.uploads().upload(name, layers[layer], new ByteArrayInputStream(layerBytes(layer)),
                        (long) layerSizes[layer]);
            }
        }
        boolean oci = o % 2 == 1;
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2026-12-07T00:00:00Z\","
                + "\"config\":{\"Labels\":{\"repository\":\"" + repoName + "\",\"image\":\"" + n + "\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        registry.uploads().upload(name, configDigest, new ByteArrayInputStream(config), (long) config.length);
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"")
                .append(oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST)
                .append("\",\"config\":{\"mediaType\":\"").append(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG)
                .append("\",\"size\":").append(config.length).append(",\"digest\":\"").append(configDigest).append("\"},\"layers\":[");
        for (int i = 0; i < used.length; i++) {
            manifest.append(i == 0 ? "" : ",").append("{\"mediaType\":\"")
                    .append(oci ? "application/vnd.oci.image.layer.v1.tar+gzip" : "application/vnd.docker.image.rootfs.diff.tar.gzip")
                    .append("\",\"size\":").append(layerSizes[used[i]]).append(",\"digest\":\"").append(layers[used[i]]).append("\"}");
        }
        manifest.append("]}");
        List<Tag> extra = twoTags ? List.of(Tag.of(lastTag)) : List.of();
        registry.manifests().put(name, new Reference.ByTag(Tag.of("v" + n)), manifest.toString().getBytes(StandardCharsets.UTF_8),
                oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST, extra);
        generated.incrementAndGet();
    }

    /** Layer {@code i} of the pool: 1-4 KiB of bytes that depend on {@code i} only. */
    static byte[] layerBytes(int i) {
        Random random = new Random(i);
        byte[] bytes = new byte[1024 + random.nextInt(3072)];
        random.nextBytes(bytes);
        return bytes;
    }
}
