package io.lading.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gauges of the process's direct (off-heap) memory for {@code /_lading/metrics}, read at each request:
 * {@code memory.directBufferBytes} and {@code memory.directBufferCount}, the JVM's {@code direct} buffer pool
 * ({@link BufferPoolMXBean}: buffers from {@code ByteBuffer.allocateDirect}, Netty's arenas included when
 * Netty allocates through it); {@code memory.nettyDirectBytes}, what Netty counts of the direct memory it
 * allocated without the JVM's cleaner ({@link PlatformDependent#usedDirectMemory()}), or -1 when Netty does
 * not count (it then allocates through the JVM and the buffer pool covers it). The two are disjoint, each
 * with its own cap: {@code -XX:MaxDirectMemorySize} bounds the pool; Netty bounds its count by the same
 * number unless {@code io.netty.maxDirectMemory} says otherwise (on Java 25 Netty 4.2 allocates through the
 * foreign-memory API, which the JVM's limit does not cover). {@code memory.nettyAllocatorDirectBytes}: the direct
 * memory Netty's default allocator (the one the server's channels use) holds in its arenas, in use or
 * cached, a part of the totals above. Used by bench/memory.sh to sample the peak under load.
 */
final class MemoryMetrics {

    private MemoryMetrics() {
    }

    static Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        long bytes = 0;
        long count = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if ("direct".equals(pool.getName())) {
                bytes = pool.getMemoryUsed();
                count = pool.getCount();
            }
        }
        m.put("memory.directBufferBytes", bytes);
        m.put("memory.directBufferCount", count);
        m.put("memory.nettyDirectBytes", PlatformDependent.usedDirectMemory());
        m.put("memory.nettyAllocatorDirectBytes", ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p
                ? p.metric().usedDirectMemory() : -1L);
        return m;
    }
}
