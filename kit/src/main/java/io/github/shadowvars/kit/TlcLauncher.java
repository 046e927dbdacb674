package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Starts TLC on one model, outside the calling JVM (TLC calls System.exit), and waits for it.
 * {@link LocalTlcLauncher} runs one TLC JVM with {@code -workers N}; {@link DistributedTlcLauncher}
 * a {@code tlc2.tool.distributed.TLCServer} plus {@code TLCWorker} JVMs; {@link SimulationLauncher}
 * TLC's random simulation. The runner needs the exit code and TLC's console output in a file, and
 * asks the launcher how to read that output and which of the manifest's figures it can reproduce.
 */
interface TlcLauncher {

    /**
     * One model to check.
     *
     * @param model      the model's name (model-check/&lt;model&gt;.cfg)
     * @param module     the top module's name (spec/&lt;module&gt;.tla)
     * @param specDir    the directory holding the spec modules: TLC's working directory
     * @param config     the absolute path of the .cfg file
     * @param metaDir    a directory TLC may fill with its state files (deleted by -cleanup)
     * @param outputFile where TLC's standard output and error go, together
     */
    record Job(String model, String module, Path specDir, Path config, Path metaDir, Path outputFile) {}

    /** The manifest's three counts, as named in the runner's messages. */
    Set<String> ALL_COUNTS = Set.of("distinct", "total", "depth");

    /**
     * Runs TLC on {@code job} and returns its exit code once it has finished, or
     * {@link Tlc#TIMED_OUT} if the launcher's time limit ended it.
     */
    int run(Job job) throws IOException, InterruptedException;

    /**
     * What the run of {@code job} cost (peak memory, CPU time), after {@link #run}; unknown by
     * default. The launchers that start TLC watch their JVMs with a {@link ResourceWatch}.
     */
    default ResourceWatch.Usage usage(Job job) {
        return ResourceWatch.Usage.UNKNOWN;
    }

    /** A few words for the run's heading, e.g. "TLC in its own JVM, 1 worker, -Xmx4g". */
    String describe();

    /**
     * What TLC reported for {@code job}, after {@link #run}. By default: tlc2.TLC's console output.
     *
     * @param temporalProperty the name to report for "Temporal properties were violated" (see
     *                         {@link TlcOutput#parse})
     */
    default TlcOutput read(Job job, int exitCode, String temporalProperty) throws IOException {
        return TlcOutput.parse(exitCode, Files.readString(job.outputFile(), StandardCharsets.UTF_8), temporalProperty);
    }

    /**
     * The manifest counts this launcher reproduces exactly for a model whose result is
     * {@code result}: the runner compares only these. tlc2.TLC with 1 worker: all three.
     */
    default Set<String> comparedCounts(String result) {
        return ALL_COUNTS;
    }

    /**
     * Why this launcher cannot check a model expected to give {@code expected} whose .cfg names
     * the temporal properties {@code properties}, or null if it can.
     */
    default String cannotCheck(String expected, List<String> properties) {
        return null;
    }

    /**
     * What the result does not cover, one sentence each, for the summary (e.g. properties this
     * launcher does not check); empty by default.
     */
    default List<String> caveats(TlcOutput tlc, List<String> properties) {
        return List.of();
    }

    /**
     * True if a "success" means TLC explored every reachable state (a proof for the model); false
     * for random simulation, which can find violations but never shows their absence.
     */
    default boolean exhaustive() {
        return true;
    }
}
