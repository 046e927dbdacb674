package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs TLC's random simulation on a model: {@code tlc2.TLC -simulate num=N -depth D [-seed S]
 * -workers 1}. TLC generates N behaviours, each from an initial state by choosing one successor at
 * random at every step, for at most D states, and checks the model's invariants (and, on each
 * behaviour, its properties) on them. A violation it finds is real; finding none shows nothing
 * about the states it did not visit. So this is for bug-finding on models too large to check
 * exhaustively, never a replacement for the exhaustive check.
 *
 * <p>TLC 2.18 prints neither the number of behaviours nor their largest length at the end of a
 * simulation, only "Progress: S states checked". The launcher therefore runs TLC on a small
 * module of its own, {@code RunnerSimulation}, written next to copies of the spec modules in
 * {@code target/tlc/<model>/sim/}: it EXTENDS the model's module and adds a state constraint that
 * is always TRUE and prints each new largest behaviour length (a TLC register holds the largest so
 * far). A run that ends without a violation has generated exactly N behaviours (TLC stops after
 * N); a run that stops at a violation says nothing about how many it generated.
 */
final class SimulationLauncher implements TlcLauncher {

    /** The module the launcher writes: the model's module plus the depth-reporting constraint. */
    static final String MODULE = "RunnerSimulation";
    /** The TLC register that holds the largest behaviour length so far. */
    static final int REGISTER = 42;
    private static final Pattern DEPTH = Pattern.compile("^<<\"runner-simulation-depth\", (\\d+)>>$", Pattern.MULTILINE);
    private static final Pattern CHECKED = Pattern.compile("Progress: ([\\d,]+) states checked");
    private static final Pattern GENERATED = Pattern.compile("The number of states generated: ([\\d,]+)");
    private static final Pattern SEED = Pattern.compile("Running Random Simulation with seed (-?\\d+)");

    private final Path jar;
    private final String heap;
    private final long num;
    private final int depth;
    private final Long seed;
    private final Duration timeLimit;
    /** What each run cost, by job, for {@link #usage}. */
    private final java.util.Map<Job, ResourceWatch.Usage> usage = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param num  the number of behaviours (TLC's -simulate num=)
     * @param depth the largest number of states in one behaviour (TLC's -depth)
     * @param seed TLC's -seed, or null for a random one (TLC prints the one it used)
     */
    SimulationLauncher(Path jar, String heap, long num, int depth, Long seed, Duration timeLimit) {
        this.jar = jar;
        this.heap = heap;
        this.num = num;
        this.depth = depth;
        this.seed = seed;
        this.timeLimit = timeLimit;
    }

    @Override
    public String describe() {
        return "TLC random simulation (bug-finding, not proof): " + num + " behaviours of at most " + depth
                + " states, seed " + (seed == null ? "random" : seed) + ", 1 worker, -Xmx" + heap
                + "; in the table 'total' = states checked, 'depth' = longest behaviour";
    }

    @Override
    public int run(Job job) throws IOException, InterruptedException {
        Path work = job.outputFile().getParent().resolve("sim");
        Files.createDirectories(work);
        try (Stream<Path> modules = Files.list(job.specDir())) {
            for (Path m : modules.filter(p -> p.toString().endsWith(".tla")).toList()) {
                Files.copy(m, work.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(work.resolve(MODULE + ".tla"), String.join("\n",
                "---- MODULE " + MODULE + " ----",
                "\\* Written by the model-check runner for a simulation of " + job.module() + ": the module",
                "\\* unchanged, plus a state constraint that is always TRUE and prints each new largest",
                "\\* behaviour length (TLC register " + REGISTER + " holds the largest so far).",
                "EXTENDS " + job.module() + ", TLC",
                "ASSUME TLCSet(" + REGISTER + ", 0)",
                "RunnerSimulationDepth ==",
                "    TLCGet(\"level\") > TLCGet(" + REGISTER + ") =>",
                "        /\\ TLCSet(" + REGISTER + ", TLCGet(\"level\"))",
                "        /\\ PrintT(<<\"runner-simulation-depth\", TLCGet(\"level\")>>)",
                "====", ""), StandardCharsets.UTF_8);
        Files.writeString(work.resolve(job.model() + ".cfg"), Files.readString(job.config(), StandardCharsets.UTF_8)
                + "\n\\* added by the model-check runner (simulation)\nCONSTRAINT RunnerSimulationDepth\n",
                StandardCharsets.UTF_8);
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> args = new ArrayList<>(List.of("-simulate", "num=" + num, "-depth", Integer.toString(depth)));
        if (seed != null) {
            args.addAll(List.of("-seed", seed.toString()));
        }
        args.addAll(List.of("-config", job.model() + ".cfg", "-cleanup", MODULE));
        List<String> cmd = Tlc.command(jar, List.of("-Xmx" + heap, "-Djava.io.tmpdir=" + tmp.toAbsolutePath()), 1,
                job.metaDir(), args);
        Tlc.Run run = Tlc.runWatched(cmd, work, job.outputFile(), timeLimit);
        usage.put(job, run.usage());
        return run.exit();
    }

    @Override
    public ResourceWatch.Usage usage(Job job) {
        return usage.getOrDefault(job, ResourceWatch.Usage.UNKNOWN);
    }

    @Override
    public TlcOutput read(Job job, int exitCode, String temporalProperty) throws IOException {
        String out = Files.readString(job.outputFile(), StandardCharsets.UTF_8);
        TlcOutput t = TlcOutput.parse(exitCode, out, temporalProperty);
        Long longest = null;
        Matcher m = DEPTH.matcher(out);
        while (m.find()) {
            longest = Long.parseLong(m.group(1));
        }
        Long checked = last(GENERATED, out);
        if (checked == null) {
            checked = last(CHECKED, out);
        }
        Matcher s = SEED.matcher(out);
        String seedUsed = s.find() ? "seed " + s.group(1) : "seed unknown";
        String message = t.message() == null ? seedUsed : t.message() + "; " + seedUsed;
        Long traces = t.result().equals("success") ? Long.valueOf(num) : null;
        return new TlcOutput(t.result(), exitCode, t.violated(), null, checked, longest, message, t.trace(), traces);
    }

    private static Long last(Pattern p, String text) {
        Long v = null;
        Matcher m = p.matcher(text);
        while (m.find()) {
            v = Long.parseLong(m.group(1).replace(",", ""));
        }
        return v;
    }

    @Override
    public Set<String> comparedCounts(String result) {
        return Set.of();
    }

    @Override
    public List<String> caveats(TlcOutput tlc, List<String> properties) {
        Matcher s = Pattern.compile("seed (-?\\d+)$").matcher(tlc.message() == null ? "" : tlc.message());
        return s.find() ? List.of("simulation with TLC's seed " + s.group(1) + ": repeat it with --seed " + s.group(1))
                : List.of();
    }

    @Override
    public boolean exhaustive() {
        return false;
    }
}
