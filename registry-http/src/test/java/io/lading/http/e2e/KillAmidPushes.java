package io.lading.http.e2e;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A node of a {@link NodeFleet} killed with {@code kill -9} amid pushes: four threads push images to one
 * repository, each request to a node still running picked at random (as a load balancer spreads them), and
 * the victim is killed once it has served 20 requests and 5 pushes were acknowledged; the pushes go on until
 * 5 more are acknowledged through the survivors. Fails if either wait lasts 30 s.
 */
final class KillAmidPushes {

    private static final int PUSHERS = 4;

    private KillAmidPushes() {
    }

    /**
     * Runs the race.
     *
     * @param images the image pusher {@code t} pushes {@code k}-th (tagged {@code t<t>-<k>})
     * @return the images whose manifest push was answered {@code 201}, by manifest digest
     */
    static Map<String, TestImage> run(NodeFleet fleet, int victim, String repo,
            BiFunction<Integer, Integer, TestImage> images) throws Exception {
        Map<String, TestImage> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger toVictim = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS);
        try {
            List<Future<?>> pushers = new ArrayList<>();
            for (int t = 0; t < PUSHERS; t++) {
                int id = t;
                pushers.add(pool.submit(() -> {
                    for (int k = 0; !stop.get(); k++) {
                        TestImage image = images.apply(id, k);
                        try {
                            int status = image.push(() -> {
                                List<Integer> alive = fleet.alive();
                                int n = alive.get(ThreadLocalRandom.current().nextInt(alive.size()));
                                if (n == victim) {
                                    toVictim.incrementAndGet();
                                }
                                return fleet.http(n);
                            }, repo, "t" + id + "-" + k);
                            if (status == 201) {
                                acknowledged.put(image.digest(), image);
                            }
                        } catch (UncheckedIOException e) {
                            // a request to the victim as it died: not acknowledged, nothing to check
                        }
                    }
                    return null;
                }));
            }
            // kill it amid the pushes: once it has served its share, and with pushes still going on
            Poll.await(() -> toVictim.get() >= 20 && acknowledged.size() >= 5, "requests through the victim", 30);
            fleet.node(victim).kill();
            int before = acknowledged.size();
            Poll.await(() -> acknowledged.size() >= before + 5, "pushes through the survivors after the kill", 30);
            stop.set(true);
            for (Future<?> f : pushers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return Map.copyOf(acknowledged);
    }
}
