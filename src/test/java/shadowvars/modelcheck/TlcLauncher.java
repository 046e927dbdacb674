package shadowvars.modelcheck;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts TLC on one model, outside the calling JVM (TLC calls System.exit), and waits for it.
 * {@link LocalTlcLauncher} runs one TLC JVM with {@code -workers N}; a distributed launcher (a
 * {@code tlc2.tool.distributed.TLCServer} plus {@code TLCWorker} JVMs) can implement the same
 * interface: the runner only needs the exit code and TLC's console output in a file.
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

    /** Runs TLC on {@code job} and returns its exit code once it has finished. */
    int run(Job job) throws IOException, InterruptedException;

    /** A few words for the run's heading, e.g. "TLC in its own JVM, 1 worker, -Xmx4g". */
    String describe();
}
