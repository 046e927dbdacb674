package shadowvars.modelcheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for the JVMs the launchers start, always with a time limit, and ending a process together
 * with every process it started when the limit is reached. A TLC server whose workers are gone
 * waits for new workers forever; nothing the runner starts may outlive its time limit.
 */
final class Processes {

    /** The exit code the launchers report for a process they had to kill (as timeout(1) does). */
    static final int TIMED_OUT = 124;

    private Processes() {}

    /**
     * Waits until {@code p} has exited or {@code limit} has passed; in the second case kills
     * {@code p}'s process tree and returns {@link #TIMED_OUT}.
     */
    /** What {@link #runWatched} returns: TLC's exit code (or TIMED_OUT) and its resource usage. */
    record Run(int exit, ResourceWatch.Usage usage) {}

    /**
     * Runs one TLC command in {@code dir} with its output in {@code output}, watched for CPU and
     * memory, killed (with its process tree) on the time limit or if this JVM exits; a note is
     * appended to the output on a time-out. Shared by the single-process and simulation launchers.
     */
    static Run runWatched(List<String> command, Path dir, Path output, Duration limit)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        Thread hook = killOnExit(List.of(p));
        ResourceWatch watch = new ResourceWatch();
        watch.add(p);
        int exit;
        ResourceWatch.Usage usage;
        try {
            exit = waitFor(p, limit);
        } finally {
            forget(hook);
            usage = watch.stop();
        }
        if (exit == TIMED_OUT) {
            Files.writeString(output, "\n(killed by the model-check runner: no result after " + limit + ")\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return new Run(exit, usage);
    }

    static int waitFor(Process p, Duration limit) throws InterruptedException {
        if (p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        killTree(p.toHandle());
        return TIMED_OUT;
    }

    /**
     * Waits until the first of {@code processes} has exited, at most {@code limit}; returns false
     * if none has exited by then.
     */
    static boolean waitForAny(List<Process> processes, Duration limit) throws InterruptedException {
        CompletableFuture<?>[] exits = processes.stream().map(Process::onExit).toArray(CompletableFuture[]::new);
        return waitFuture(CompletableFuture.anyOf(exits), limit);
    }

    /** Waits until every one of {@code processes} has exited, at most {@code limit}; false if not. */
    static boolean waitForAll(List<Process> processes, Duration limit) throws InterruptedException {
        CompletableFuture<?>[] exits = processes.stream().map(Process::onExit).toArray(CompletableFuture[]::new);
        return waitFuture(CompletableFuture.allOf(exits), limit);
    }

    private static boolean waitFuture(CompletableFuture<?> f, Duration limit) throws InterruptedException {
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // onExit futures complete normally; treat anything else as "exited"
        }
    }

    /**
     * Registers a JVM shutdown hook that kills the process trees of {@code processes}, so that an
     * interrupted runner (Ctrl-C, a killed test JVM) leaves no TLC behind; {@link #forget} removes it
     * once the processes are gone.
     */
    static Thread killOnExit(List<Process> processes) {
        Thread hook = new Thread(() -> {
            for (Process p : processes) {
                try {
                    killTree(p.toHandle());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "kill TLC processes");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Removes a hook of {@link #killOnExit} (unless the JVM is already shutting down). */
    static void forget(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway
        }
    }

    /**
     * Kills {@code root} and all its descendants (children first, so none is re-parented and
     * missed), then waits up to 10 s for them to be gone.
     */
    static void killTree(ProcessHandle root) throws InterruptedException {
        List<ProcessHandle> all = new java.util.ArrayList<>(root.descendants().toList());
        all.add(root);
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // gone or unkillable: nothing more this JVM can do
            }
        }
    }
}
