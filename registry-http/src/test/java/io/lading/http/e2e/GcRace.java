package io.lading.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lading.http.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes through some nodes while another collects garbage over and over ({@code POST /_lading/gc}, for real,
 * each run asserted {@code 200}): each pusher uploads an orphan blob before each image, so the collector
 * always has something to delete. The race lasts until the collector has run three times and deleted blobs
 * while eight pushes were acknowledged, or 30 s pass; what it did is the result, for the caller to judge.
 *
 * @param acknowledged the images whose manifest push was answered {@code 201}, by manifest digest
 * @param runs the collector's runs
 * @param deleted the blobs its runs reported deleted
 */
record GcRace(Map<String, TestImage> acknowledged, int runs, int deleted) {

    /** Races pushes to {@code repo} through each of {@code pushers} (a thread each) against {@code collector}. */
    static GcRace run(List<TestHttp> pushers, TestHttp collector, String repo) throws Exception {
        Map<String, TestImage> acknowledged = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger deleted = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(pushers.size() + 1);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int n = 0; n < pushers.size(); n++) {
                TestHttp node = pushers.get(n);
                int id = n;
                racers.add(pool.submit(() -> {
                    for (int k = 0; !stop.get(); k++) {
                        TestImage image = TestImage.random("gc-" + id + "-" + k);
                        TestImage.uploadBlob(node, repo, TestImage.random("orphan").layer());
                        if (image.push(node, repo, "n" + id + "-" + k) == 201) {
                            acknowledged.put(image.digest(), image);
                        }
                    }
                    return null;
                }));
            }
            racers.add(pool.submit(() -> {
                while (!stop.get()) {
                    HttpResponse<byte[]> r = collector.send("POST", "/_lading/gc", null, null);
                    assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                    JsonNode report = E2e.readJson(r.body());
                    deleted.addAndGet(report.get("blobsDeleted").asInt());
                    runs.incrementAndGet();
                }
                return null;
            }));
            Poll.until(() -> runs.get() >= 3 && deleted.get() > 0 && acknowledged.size() >= 8, 30);
            stop.set(true);
            for (Future<?> f : racers) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new GcRace(Map.copyOf(acknowledged), runs.get(), deleted.get());
    }
}
