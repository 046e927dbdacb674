package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the JVMs of one TLC run while they run and records what they cost: the peak resident
 * memory of each (Linux: the {@code VmHWM} line of {@code /proc/<pid>/status}, the kernel's
 * high-water mark of the resident set, so a sample taken late still covers earlier peaks) and the
 * CPU time each has used ({@link ProcessHandle.Info#totalCpuDuration}). A daemon thread samples every
 * {@link #PERIOD}; the last sample of each process is what counts, so the CPU time can be short by up
 * to one period. Where there is no {@code /proc} (not Linux) the memory is unknown and reported as
 * {@code null}, never guessed; the CPU time is what the JDK can tell, or {@code null}.
 *
 * <p>A launcher creates one watch per run, {@link #add}s every process it starts, and calls
 * {@link #stop} after they have exited.
 */
final class ResourceWatch {

    /**
     * What one TLC run cost.
     *
     * @param peakKb     the peak resident set of the TLC JVM in KiB (with several JVMs, as in
     *                   distributed mode: the sum of their peaks, an upper bound of what they held
     *                   together), or null if unknown
     * @param cpuSeconds the CPU time (user + system) the JVMs used, or null if unknown
     */
    record Usage(Long peakKb, Double cpuSeconds) {
        /** Nothing known (e.g. TLC not started). */
        static final Usage UNKNOWN = new Usage(null, null);
    }

    /** How often the processes are sampled. */
    static final Duration PERIOD = Duration.ofMillis(200);

    private static final Pattern VM_HWM = Pattern.compile("(?m)^VmHWM:\\s+(\\d+) kB");

    /** pid -> the last peak seen (KiB); pid -> the last CPU time seen (nanoseconds). */
    private final Map<Long, Long> peakKb = new ConcurrentHashMap<>();
    private final Map<Long, Long> cpuNanos = new ConcurrentHashMap<>();
    private final Map<Long, ProcessHandle> watched = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean stopped;

    ResourceWatch() {
        sampler = new Thread(this::loop, "TLC resource watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts watching {@code p}, and samples it at once. */
    void add(Process p) {
        ProcessHandle h = p.toHandle();
        watched.put(h.pid(), h);
        sample(h);
    }

    /** Stops sampling and returns what was seen. */
    Usage stop() throws InterruptedException {
        stopped = true;
        sampler.interrupt();
        sampler.join();
        Long peak = peakKb.isEmpty() ? null : peakKb.values().stream().mapToLong(Long::longValue).sum();
        Double cpu = cpuNanos.isEmpty() ? null : cpuNanos.values().stream().mapToLong(Long::longValue).sum() / 1e9;
        return new Usage(peak, cpu);
    }

    private void loop() {
        while (!stopped) {
            watched.values().forEach(this::sample);
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One sample of {@code h}: nothing is recorded once the process is gone (its /proc entry too). */
    private void sample(ProcessHandle h) {
        Long kb = peakOf(h.pid());
        if (kb != null) {
            peakKb.merge(h.pid(), kb, Math::max);
        }
        h.info().totalCpuDuration().ifPresent(d -> cpuNanos.merge(h.pid(), d.toNanos(), Math::max));
    }

    /** The VmHWM of process {@code pid} in KiB, or null (no /proc, process gone, no such line). */
    static Long peakOf(long pid) {
        try {
            return parseVmHwm(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The VmHWM figure of a /proc/&lt;pid&gt;/status text in KiB, or null if it has none. */
    static Long parseVmHwm(String status) {
        Matcher m = VM_HWM.matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    /** Whether this machine lets the watch see peak memory (Linux /proc). */
    static boolean memoryVisible() {
        return peakOf(ProcessHandle.current().pid()) != null;
    }
}
