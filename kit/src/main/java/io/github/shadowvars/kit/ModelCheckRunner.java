package io.github.shadowvars.kit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks every model listed in model-check/manifest.tsv with TLC and compares what TLC reports with
 * what the manifest expects: the outcome (success, safety, liveness, deadlock), the violated
 * invariant or property, and the recorded state counts and depth. A model whose outcome or counts
 * differ is a MISMATCH, and the run fails. Prints a summary table (also written to
 * target/model-check-summary.md) with what each check cost (wall time, states per second, peak
 * memory of the TLC JVM), writes the cost figures with the machine's CPU count and load to
 * target/model-check-cost.md, and prints every unexpected counterexample one line per step; TLC's
 * raw output stays in target/tlc/&lt;model&gt;/tlc.out.
 *
 * <pre>
 * usage: ModelCheckRunner [--size small|all] [--model NAME]... [--workers N] [--heap SIZE]
 *                         [--root DIR] [--manifest FILE] [--out DIR] [--traces] [--update-manifest]
 *                         [--timeout SECONDS]
 *                         [--distributed N | --simulate [--num N] [--depth D] [--seed S]]
 * exit:  0 every model as expected, 1 some model MISMATCH, 2 bad arguments or manifest
 * </pre>
 * {@code --distributed N} checks each model with TLC's distributed mode, a TLCServer and N TLCWorker
 * JVMs on this machine ({@link DistributedTlcLauncher}); {@code --simulate} runs TLC's random
 * simulation ({@link SimulationLauncher}), which can find violations but proves nothing.
 * TLC itself always runs in JVMs of its own (see {@link TlcLauncher}); this class can run
 * in-process, e.g. from a JUnit test, through {@link #run}.
 */
public final class ModelCheckRunner {

    /** How TLC explores a model: one JVM, TLCServer with TLCWorker JVMs, or random simulation. */
    enum Mode { LOCAL, DISTRIBUTED, SIMULATE }

    /**
     * What to check and how; see {@link #parseArgs} for the command-line names.
     *
     * @param distWorkers  DISTRIBUTED: the number of TLCWorker JVMs
     * @param simNum       SIMULATE: the number of behaviours to generate (TLC's -simulate num=N)
     * @param simDepth     SIMULATE: the length of each behaviour (TLC's -depth)
     * @param seed         SIMULATE: TLC's -seed, or null for a random one (TLC prints it)
     * @param timeLimit    how long one model's TLC run (all its JVMs) may take before it is killed
     */
    record Options(Path root, Path manifest, Path out, boolean allSizes, List<String> models, int workers,
                   String heap, boolean printAllTraces, boolean updateManifest, Mode mode, int distWorkers,
                   long simNum, int simDepth, Long seed, Duration timeLimit) {

        /** The defaults: the project in {@code root}, small models, 1 worker, 4 GiB heap, one JVM. */
        static Options defaults(Path root) {
            return new Options(root, root.resolve("model-check/manifest.tsv"), root.resolve("target"),
                    false, List.of(), 1, "4g", false, false, Mode.LOCAL, 2, 10_000, 100, null,
                    LocalTlcLauncher.DEFAULT_TIME_LIMIT);
        }

        Options withModels(List<String> m) {
            return new Options(root, manifest, out, allSizes, m, workers, heap, printAllTraces, updateManifest,
                    mode, distWorkers, simNum, simDepth, seed, timeLimit);
        }

        Options withAllSizes(boolean all) {
            return new Options(root, manifest, out, all, models, workers, heap, printAllTraces, updateManifest,
                    mode, distWorkers, simNum, simDepth, seed, timeLimit);
        }

        Options withManifest(Path m) {
            return new Options(root, m, out, allSizes, models, workers, heap, printAllTraces, updateManifest,
                    mode, distWorkers, simNum, simDepth, seed, timeLimit);
        }

        Options withOut(Path o) {
            return new Options(root, manifest, o, allSizes, models, workers, heap, printAllTraces, updateManifest,
                    mode, distWorkers, simNum, simDepth, seed, timeLimit);
        }

        Options withUpdateManifest(boolean u) {
            return new Options(root, manifest, out, allSizes, models, workers, heap, printAllTraces, u,
                    mode, distWorkers, simNum, simDepth, seed, timeLimit);
        }

        Options withHeap(String h) {
            return new Options(root, manifest, out, allSizes, models, workers, h, printAllTraces, updateManifest,
                    mode, distWorkers, simNum, simDepth, seed, timeLimit);
        }

        Options withDistributed(int n) {
            return new Options(root, manifest, out, allSizes, models, workers, heap, printAllTraces, updateManifest,
                    Mode.DISTRIBUTED, n, simNum, simDepth, seed, timeLimit);
        }

        Options withSimulation(long num, int depth, Long s) {
            return new Options(root, manifest, out, allSizes, models, workers, heap, printAllTraces, updateManifest,
                    Mode.SIMULATE, distWorkers, num, depth, s, timeLimit);
        }

        Options withTimeLimit(Duration t) {
            return new Options(root, manifest, out, allSizes, models, workers, heap, printAllTraces, updateManifest,
                    mode, distWorkers, simNum, simDepth, seed, t);
        }

        /** The launcher these options ask for. */
        TlcLauncher launcher() {
            Path jar = LocalTlcLauncher.findJar();
            switch (mode) {
                case DISTRIBUTED:
                    return new DistributedTlcLauncher(jar, distWorkers, heap, "127.0.0.1", timeLimit,
                            new LocalTlcLauncher(jar, 1, heap, timeLimit));
                case SIMULATE:
                    return new SimulationLauncher(jar, heap, simNum, simDepth, seed, timeLimit);
                default:
                    return new LocalTlcLauncher(jar, workers, heap, timeLimit);
            }
        }
    }

    /**
     * The outcome for one model.
     *
     * @param verdict  "OK", "MISMATCH", or "UPDATED" (counts differed and --update-manifest wrote the new ones)
     * @param problems why the verdict is not OK, one sentence each
     * @param trace    the counterexample, one line per step (empty if TLC printed none)
     * @param usage    what the TLC run cost: peak memory and CPU time of its JVM(s)
     */
    record ModelResult(Manifest.Row row, TlcOutput tlc, double seconds, String verdict, List<String> problems,
                       List<String> trace, ResourceWatch.Usage usage) {
        boolean ok() {
            return !verdict.equals("MISMATCH");
        }

        /** Distinct states per second of wall time (TLC's JVM start and parsing included), or null. */
        Double distinctPerSecond() {
            return rate(tlc.distinct(), seconds);
        }

        /** States generated per second of wall time, or null. */
        Double generatedPerSecond() {
            return rate(tlc.total(), seconds);
        }
    }

    private static Double rate(Long count, double seconds) {
        return count == null || seconds <= 0 ? null : count / seconds;
    }

    /** The outcome of a run: one result per model checked, and the summary table as markdown. */
    record Report(List<ModelResult> results, List<String> table) {
        boolean ok() {
            return results.stream().allMatch(ModelResult::ok);
        }

        /** The summary table, then one paragraph per MISMATCH. */
        String summary() {
            StringBuilder sb = new StringBuilder();
            table.forEach(l -> sb.append(l).append('\n'));
            for (ModelResult r : results) {
                if (!r.problems().isEmpty()) {
                    sb.append('\n').append(r.row().model()).append(" (").append(r.verdict()).append("):\n");
                    r.problems().forEach(p -> sb.append("  - ").append(p).append('\n'));
                }
            }
            return sb.toString();
        }
    }

    private final Options options;
    private final TlcLauncher launcher;
    private final PrintStream log;

    ModelCheckRunner(Options options, TlcLauncher launcher, PrintStream log) {
        this.options = options;
        this.launcher = launcher;
        this.log = log;
    }

    /** Runs TLC on the models the options select and compares the results with the manifest. */
    Report run() throws IOException, InterruptedException {
        Manifest manifest = Manifest.read(options.manifest());
        List<Manifest.Row> selected = select(manifest);
        Map<String, String> labels = Counterexample.readLabels(options.root().resolve("model-check/labels.tsv"));
        log.println("model check: " + selected.size() + " model(s) of " + options.manifest() + "; "
                + launcher.describe());
        String loadBefore = loadAverage();
        java.time.ZonedDateTime started = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        long runStart = System.nanoTime();
        List<ModelResult> results = new ArrayList<>();
        List<String> updated = new ArrayList<>(manifest.lines);
        boolean manifestChanged = false;
        int n = 0;
        for (Manifest.Row row : selected) {
            n++;
            log.printf("[%d/%d] %s (%s, %s) ...%n", n, selected.size(), row.model(), row.module(), row.size());
            ModelResult r = check(row, labels);
            if (options.updateManifest() && r.verdict().equals("UPDATED")) {
                updated = Manifest.withCounts(updated, row, r.tlc().distinct(), r.tlc().total(), r.tlc().depth());
                manifestChanged = true;
            }
            results.add(r);
            if (launcher.exhaustive() && r.tlc().traces() == null) {
                log.printf("[%d/%d] %s: %s%s, %s distinct, %s total, depth %s, %.1f s (%s distinct/s, %s generated/s,"
                        + " peak %s MiB): %s%n", n, selected.size(),
                        row.model(), r.tlc().result(), r.tlc().violated() == null ? "" : " (" + r.tlc().violated() + ")",
                        dash(r.tlc().distinct()), dash(r.tlc().total()), dash(r.tlc().depth()), r.seconds(),
                        whole(r.distinctPerSecond()), whole(r.generatedPerSecond()), mib(r.usage().peakKb()),
                        r.verdict());
            } else {
                log.printf("[%d/%d] %s: %s%s, simulation: %s, largest depth %s, %s states checked, %.1f s: %s%n",
                        n, selected.size(), row.model(), r.tlc().result(),
                        r.tlc().violated() == null ? "" : " (" + r.tlc().violated() + ")",
                        r.tlc().traces() == null ? "stopped at the first violation"
                                : r.tlc().traces() + " behaviours explored",
                        dash(r.tlc().depth()), dash(r.tlc().total()), r.seconds(), r.verdict());
            }
            if (!r.trace().isEmpty() && (options.printAllTraces() || !r.ok())) {
                log.println("  counterexample (" + r.tlc().message() + "):");
                r.trace().forEach(log::println);
                log.println("  counterexample page: " + options.out().resolve(pageLink(row.model())));
            }
        }
        if (manifestChanged) {
            Manifest.write(options.manifest(), updated);
            log.println("manifest updated: " + options.manifest());
        }
        Report report = new Report(results, table(results, launcher::comparedCounts));
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("model-check-summary.md"),
                "# Model check summary\n\n" + report.summary(), StandardCharsets.UTF_8);
        double runSeconds = (System.nanoTime() - runStart) / 1e9;
        Files.writeString(options.out().resolve("model-check-cost.md"),
                costReport(results, launcher.describe(), started, runSeconds, loadBefore, loadAverage()),
                StandardCharsets.UTF_8);
        log.println();
        log.print(report.summary());
        log.println(report.ok() ? "model check: every model as expected"
                : "model check: MISMATCH (see above; TLC's output is in " + options.out().resolve("tlc") + ")");
        return report;
    }

    /** The rows selected by --model (in manifest order) or else by --size. */
    private List<Manifest.Row> select(Manifest manifest) {
        if (!options.models().isEmpty()) {
            Set<String> unknown = new LinkedHashSet<>(options.models());
            manifest.rows.forEach(r -> unknown.remove(r.model()));
            if (!unknown.isEmpty()) {
                throw new IllegalArgumentException("not in " + manifest.file + ": " + unknown);
            }
            return manifest.rows.stream().filter(r -> options.models().contains(r.model())).toList();
        }
        return manifest.rows.stream()
                .filter(r -> r.size().equals("small") || options.allSizes() && r.size().equals("large"))
                .toList();
    }

    /** Runs TLC on one model and judges the result. */
    ModelResult check(Manifest.Row row, Map<String, String> labels) throws IOException, InterruptedException {
        Path config = options.root().resolve("model-check").resolve(row.model() + ".cfg").toAbsolutePath();
        TlcLauncher launcher = launcherFor(config);
        Path specDir = options.root().resolve("spec").toAbsolutePath();
        Path dir = options.out().resolve("tlc").resolve(row.model()).toAbsolutePath();
        Path outFile = dir.resolve("tlc.out");
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("trace.txt"));
        Files.deleteIfExists(dir.resolve(PAGE));
        List<String> problems = new ArrayList<>();
        TlcOutput tlc;
        double seconds = 0;
        ResourceWatch.Usage usage = ResourceWatch.Usage.UNKNOWN;
        List<String> properties = Files.exists(config) ? properties(config) : List.of();
        String cannot = launcher.cannotCheck(row.expected(), properties);
        if (cannot != null) {
            Files.writeString(outFile, "(TLC not started: " + cannot + ")\n");
            tlc = new TlcOutput("skipped", -1, null, null, null, null, cannot, List.of(), null);
            return new ModelResult(row, tlc, 0, "SKIPPED", List.of(cannot), List.of(), ResourceWatch.Usage.UNKNOWN);
        }
        if (!Files.exists(config) || !Files.exists(specDir.resolve(row.module() + ".tla"))) {
            String missing = !Files.exists(config) ? config.toString() : specDir.resolve(row.module() + ".tla").toString();
            tlc = new TlcOutput("error", -1, null, null, null, null, "missing file " + missing, List.of(), null);
            Files.writeString(outFile, "(TLC not started: missing file " + missing + ")\n");
        } else {
            long start = System.nanoTime();
            TlcLauncher.Job job = new TlcLauncher.Job(row.model(), row.module(), specDir, config,
                    dir.resolve("states"), outFile);
            int exit = launcher.run(job);
            seconds = (System.nanoTime() - start) / 1e9;
            usage = launcher.usage(job);
            tlc = launcher.read(job, exit, properties.size() == 1 ? properties.get(0) : null);
            if (tlc.result().equals("error")) {
                problems.add("TLC stopped with exit code " + exit + " (" + (tlc.message() != null ? tlc.message()
                        : exit == Tlc.TIMED_OUT ? "killed: no result within the time limit" : "no error message")
                        + "); its output: " + outFile);
            }
            problems.addAll(launcher.caveats(tlc, properties));
        }
        List<String> trace = Counterexample.format(tlc.trace(), labels);
        if (!trace.isEmpty()) {
            Files.write(dir.resolve("trace.txt"), trace, StandardCharsets.UTF_8);
        }

        boolean resultMatches = tlc.result().equals(row.expected());
        if (!resultMatches) {
            problems.add(0, "expected " + row.expected() + (row.violated() == null ? "" : " (" + row.violated() + ")")
                    + " but TLC reported " + tlc.result() + (tlc.violated() == null ? "" : " (" + tlc.violated() + ")")
                    + (row.expected().equals("success") ? "" : tlc.result().equals("success")
                            ? ": this model must be violated (a witness or seeded bug), and TLC found no violation" : ""));
        } else if (row.violated() != null && !row.violated().equals(tlc.violated())) {
            problems.add("expected " + row.violated() + " to be violated but TLC reported "
                    + (tlc.violated() == null ? "no name" : tlc.violated()));
            resultMatches = false;
        }
        Long drawnAtLeast = Files.exists(config) ? initialStatesDirective(Files.readAllLines(config, StandardCharsets.UTF_8)) : null;
        if (drawnAtLeast != null && Files.exists(outFile)) {
            Long drawn = initialStates(Files.readAllLines(outFile, StandardCharsets.UTF_8));
            if (resultMatches && tlc.result().equals("success") && (drawn == null || drawn < drawnAtLeast)) {
                problems.add(0, "TLC checked " + dash(drawn) + " distinct initial states, fewer than the " + drawnAtLeast
                        + " its .cfg asks for (runner: initial-states>=" + drawnAtLeast + "): draw more (NHeaps, NProcs)");
                resultMatches = false;
            } else if (tlc.result().equals("success") && drawn != null) {
                problems.add("initial states: " + dash(drawn) + " distinct (its .cfg asks for at least " + drawnAtLeast + ")");
            }
        }
        if (Files.exists(outFile)) {
            problems.addAll(drawHistogram(Files.readAllLines(outFile, StandardCharsets.UTF_8)));
        }
        List<String> countDiffs = new ArrayList<>();
        Set<String> compared = launcher.comparedCounts(tlc.result());
        if (compared.contains("distinct")) {
            compare("distinct", row.distinct(), tlc.distinct(), countDiffs);
        }
        if (compared.contains("total")) {
            compare("total", row.total(), tlc.total(), countDiffs);
        }
        if (compared.contains("depth")) {
            compare("depth", row.depth(), tlc.depth(), countDiffs);
        }
        if (!compared.containsAll(TlcLauncher.ALL_COUNTS) && launcher.exhaustive()) {
            List<String> not = TlcLauncher.ALL_COUNTS.stream().filter(c -> !compared.contains(c)).sorted().toList();
            problems.add("not compared with the manifest in this mode: " + String.join(", ", not));
        }
        boolean unrecorded = row.distinct() == null || row.total() == null || row.depth() == null;
        String verdict;
        if (!launcher.exhaustive() && !row.expected().equals("success") && tlc.result().equals("success")) {
            // Random simulation missed a violation that exists: a fact about the budget, not the spec.
            verdict = "NOT FOUND";
            problems.set(0, "simulation found no violation in " + dash(tlc.traces()) + " behaviours; the manifest"
                    + " expects " + row.expected() + (row.violated() == null ? "" : " (" + row.violated() + ")")
                    + ": a larger budget or exhaustive checking is needed to reach it");
        } else if (!launcher.exhaustive() && resultMatches && tlc.result().equals("success")) {
            verdict = "OK";
            problems.add("simulation: no violation in " + dash(tlc.traces()) + " behaviours of up to "
                    + dash(tlc.depth()) + " states; this finds bugs, it proves nothing");
        } else if (!resultMatches) {
            problems.addAll(countDiffs);
            verdict = "MISMATCH";
        } else if (!countDiffs.isEmpty() || (options.updateManifest() && unrecorded && !sameCounts(row, tlc))) {
            if (options.updateManifest()) {
                verdict = "UPDATED";
                problems.add("manifest counts rewritten to distinct=" + dash(tlc.distinct()) + " total="
                        + dash(tlc.total()) + " depth=" + dash(tlc.depth()));
            } else {
                verdict = "MISMATCH";
                problems.addAll(countDiffs);
                problems.add("the state space changed: if this is intended, record the new numbers in "
                        + "model-check/manifest.tsv (distinct=" + dash(tlc.distinct()) + " total=" + dash(tlc.total())
                        + " depth=" + dash(tlc.depth()) + "), e.g. with --update-manifest --model " + row.model());
            }
        } else {
            verdict = "OK";
        }
        if (!tlc.trace().isEmpty()) {
            Files.writeString(dir.resolve(PAGE), CounterexamplePage.render(pageInfo(row, tlc, verdict), tlc.trace(), labels),
                    StandardCharsets.UTF_8);
        }
        return new ModelResult(row, tlc, seconds, verdict, problems, trace, usage);
    }

    /** The file name of a model's counterexample page, next to its tlc.out and trace.txt. */
    static final String PAGE = "counterexample.html";

    /** The page's link from the summary table (in the output directory): tlc/&lt;model&gt;/counterexample.html. */
    static String pageLink(String model) {
        return "tlc/" + model + "/" + PAGE;
    }

    private static CounterexamplePage.Info pageInfo(Manifest.Row row, TlcOutput tlc, String verdict) {
        String expected = row.expected() + (row.violated() == null ? "" : " (" + row.violated() + ")");
        List<String> notes = List.of(
                "model model-check/" + row.model() + ".cfg of spec/" + row.module() + ".tla: " + row.description(),
                "TLC's result: " + tlc.result() + (tlc.violated() == null ? "" : " (" + tlc.violated() + ")")
                        + "; model-check/manifest.tsv expects " + expected + ": " + verdict
                        + (verdict.equals("OK") ? " (this counterexample is the expected one)" : ""));
        Map<String, String> links = new java.util.LinkedHashMap<>();
        links.put("TLC's output (tlc.out)", "tlc.out");
        links.put("the trace as text (trace.txt)", "trace.txt");
        return new CounterexamplePage.Info(row.model(), tlc.violated(), tlc.message(), null, notes, links);
    }

    private static boolean sameCounts(Manifest.Row row, TlcOutput tlc) {
        return Objects.equals(row.distinct(), tlc.distinct()) && Objects.equals(row.total(), tlc.total())
                && Objects.equals(row.depth(), tlc.depth());
    }

    private static void compare(String what, Long recorded, Long actual, List<String> diffs) {
        if (recorded != null && !recorded.equals(actual)) {
            diffs.add(what + ": manifest records " + recorded + ", TLC reported "
                    + (actual == null ? "nothing" : actual.toString()));
        }
    }

    /**
     * A model's own request for simulation: a line {@code \\* runner: simulate num=N depth=D} in
     * its .cfg (the main job then runs TLC's random simulation on it, N behaviours of at most D
     * states, random seed), or null. Only the first such line counts.
     */
    static long[] simulationDirective(List<String> cfgLines) {
        for (String line : cfgLines) {
            Matcher m = SIM_DIRECTIVE.matcher(line);
            if (m.matches()) {
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        return null;
    }

    /**
     * A model's minimum of distinct initial states: a line {@code \\* runner: initial-states>=N} in
     * its .cfg (models that draw their initial states at random), or null. A success with fewer
     * initial states is a mismatch: the model checked less than it claims.
     */
    static Long initialStatesDirective(List<String> cfgLines) {
        String value = directive(cfgLines, INITIAL_DIRECTIVE);
        return value == null ? null : Long.parseLong(value);
    }

    /** The value of the first .cfg line of its own that matches {@code directive} (a "runner:" line), or null. */
    private static String directive(List<String> cfgLines, Pattern directive) {
        for (String line : cfgLines) {
            Matcher m = directive.matcher(line);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static final Pattern INITIAL_DIRECTIVE =
            Pattern.compile("^\\s*\\\\\\*\\s*runner:\\s*initial-states>=(\\d+)\\s*$");

    /** TLC's "Finished computing initial states: N distinct states generated", or null. */
    static Long initialStates(List<String> tlcOutput) {
        for (String line : tlcOutput) {
            Matcher m = INITIAL_STATES.matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        return null;
    }

    /**
     * The histogram of the states a sampled model drew, from the lines its initial predicate
     * prints for every state it keeps ({@code <<"IndInvDraw", pc, estate, chain lengths>>}, the
     * three as TLC prints functions: {@code (p1 :> "idle" @@ p2 :> "g_walk")}, over one or more
     * lines): per label and per
     * entry state the share of draws in which some thread is at that label (some entry in that
     * state), per length the share of draws whose longest bucket chain has that length. Empty when
     * the output has no such line. A line TLC prints more than once (a state drawn twice) counts
     * each time: these are shares of draws, not of distinct states.
     */
    static List<String> drawHistogram(List<String> tlcOutput) {
        long draws = 0;
        Map<String, Long> labels = new java.util.TreeMap<>();
        Map<String, Long> states = new java.util.TreeMap<>();
        Map<Integer, Long> chains = new java.util.TreeMap<>();
        List<String> records = new ArrayList<>();
        StringBuilder open = null;
        for (String line : tlcOutput) {
            // TLC prints a long value over several lines: join them up to the closing >>.
            String t = line.trim();
            if (open == null && t.startsWith("<<") && t.contains("\"IndInvDraw\"")) {
                open = new StringBuilder();
            }
            if (open != null) {
                open.append(open.length() == 0 ? "" : " ").append(t);
                if (t.endsWith(">>")) {
                    records.add(open.toString());
                    open = null;
                }
            }
        }
        for (String record : records) {
            Matcher m = DRAW_LINE.matcher(record);
            if (!m.matches()) {
                continue;
            }
            draws++;
            valuesIn(m.group(1)).stream().distinct().forEach(l -> labels.merge(l, 1L, Long::sum));
            valuesIn(m.group(2)).stream().distinct().forEach(st -> states.merge(st, 1L, Long::sum));
            int longest = valuesIn(m.group(3)).stream().mapToInt(Integer::parseInt).max().orElse(0);
            chains.merge(longest, 1L, Long::sum);
        }
        if (draws == 0) {
            return List.of();
        }
        final long n = draws;
        java.util.function.Function<Map<?, Long>, String> shares = h -> h.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / n))
                .collect(java.util.stream.Collectors.joining(", "));
        return List.of("drawn states (printed by the initial predicate): " + n,
                "draws with a thread at each label: " + shares.apply(labels),
                "draws with an entry in each state: " + shares.apply(states),
                "draws by longest bucket chain (reachable entries): " + shares.apply(chains));
    }

    /** The values of a function as TLC prints it, (a :> v @@ b :> w): v, w (quotes removed). */
    private static List<String> valuesIn(String function) {
        List<String> values = new ArrayList<>();
        Matcher m = FUNCTION_VALUE.matcher(function);
        while (m.find()) {
            values.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return values;
    }

    private static final Pattern DRAW_LINE =
            Pattern.compile("^<<\\s*\"IndInvDraw\",\\s*\\((.*?)\\),\\s*\\((.*?)\\),\\s*\\((.*?)\\)\\s*>>$");
    private static final Pattern FUNCTION_VALUE = Pattern.compile(":>\\s*(?:\"([^\"]*)\"|(\\d+))");

    private static final Pattern INITIAL_STATES =
            Pattern.compile("Finished computing initial states: ([\\d,]+) distinct state");

    private static final Pattern SIM_DIRECTIVE =
            Pattern.compile("^\\s*\\\\\\*\\s*runner:\\s*simulate\\s+num=(\\d+)\\s+depth=(\\d+)\\s*$");

    /**
     * The launcher for one model: the runner's own, or, when the runner checks exhaustively and
     * the model's .cfg asks for simulation ({@link #simulationDirective}), a simulation launcher.
     */
    private TlcLauncher launcherFor(Path config) throws IOException {
        if (!launcher.exhaustive() || !Files.exists(config)) {
            return launcher;
        }
        List<String> lines = Files.readAllLines(config, StandardCharsets.UTF_8);
        long[] sim = simulationDirective(lines);
        if (sim != null) {
            return new SimulationLauncher(LocalTlcLauncher.findJar(), options.heap(), sim[0], (int) sim[1], null,
                    options.timeLimit());
        }
        Integer workers = workersDirective(lines);
        Long seed = seedDirective(lines);
        boolean moreWorkers = workers != null && workers > options.workers();
        if (options.mode() == Mode.LOCAL && (moreWorkers || seed != null)) {
            return new LocalTlcLauncher(LocalTlcLauncher.findJar(), moreWorkers ? workers : options.workers(),
                    options.heap(), options.timeLimit(), seed);
        }
        return launcher;
    }

    /**
     * A model's own number of TLC workers: a line {@code \\* runner: workers=N} in its .cfg, or
     * null. The runner checks models one at a time, so a long model may use every core; with
     * several workers the depth may vary, and with a VIEW and SYMMETRY the counts too (record "-").
     * Used only in single-process mode and only to raise {@code --workers}.
     */
    static Integer workersDirective(List<String> cfgLines) {
        String value = directive(cfgLines, WORKERS_DIRECTIVE);
        return value == null ? null : Integer.parseInt(value);
    }

    /**
     * A model's own TLC seed: a line {@code \\* runner: seed=N} in its .cfg, or null. For a model
     * whose states are drawn at random (the Randomization module), so that its result and counts
     * are the same on every run; the .cfg says how often other seeds give the same verdict.
     * Used only in single-process mode.
     */
    static Long seedDirective(List<String> cfgLines) {
        String value = directive(cfgLines, SEED_DIRECTIVE);
        return value == null ? null : Long.parseLong(value);
    }

    private static final Pattern SEED_DIRECTIVE =
            Pattern.compile("^\\s*\\\\\\*\\s*runner:\\s*seed=(-?\\d+)\\s*$");

    private static final Pattern WORKERS_DIRECTIVE =
            Pattern.compile("^\\s*\\\\\\*\\s*runner:\\s*workers=(\\d+)\\s*$");

    private static final Pattern CFG_COMMENT = Pattern.compile("\\\\\\*[^\\n]*|\\(\\*.*?\\*\\)", Pattern.DOTALL);
    private static final Set<String> CFG_KEYWORDS = Set.of("CONSTANT", "CONSTANTS", "INIT", "NEXT", "SPECIFICATION",
            "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "SYMMETRY", "VIEW", "CONSTRAINT", "CONSTRAINTS",
            "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "CHECK_DEADLOCK", "POSTCONDITION", "ALIAS");

    /**
     * The model's only temporal property (PROPERTY/PROPERTIES in the .cfg), or null if it has none
     * or several. TLC reports "Temporal properties were violated" without a name; with one
     * property in the model, the violated one is known.
     */
    static String onlyProperty(Path config) throws IOException {
        List<String> props = properties(config);
        return props.size() == 1 ? props.get(0) : null;
    }

    /** The temporal properties the model's .cfg names (PROPERTY/PROPERTIES), in order. */
    static List<String> properties(Path config) throws IOException {
        String text = CFG_COMMENT.matcher(Files.readString(config)).replaceAll(" ");
        List<String> props = new ArrayList<>();
        boolean inProperties = false;
        for (String token : text.split("\\s+")) {
            if (CFG_KEYWORDS.contains(token)) {
                inProperties = token.startsWith("PROPERT");
            } else if (inProperties && !token.isEmpty()) {
                props.add(token);
            }
        }
        return props;
    }

    /** The summary as a markdown table, columns padded so that it also reads as plain text. */
    static List<String> table(List<ModelResult> results) {
        return table(results, r -> TlcLauncher.ALL_COUNTS);
    }

    /**
     * The summary table; a count that differs from the manifest shows the manifest's number too
     * if {@code compared} (result -> the counts the launcher reproduces) includes it.
     */
    static List<String> table(List<ModelResult> results, java.util.function.Function<String, Set<String>> compared) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "size", "expected", "actual", "violated", "distinct", "total", "depth",
                "seconds", "distinct/s", "generated/s", "peak MiB", "verdict", "counterexample"});
        long distinct = 0, total = 0;
        double seconds = 0;
        Long peak = null;
        int ok = 0, skipped = 0, notFound = 0;
        for (ModelResult r : results) {
            Manifest.Row m = r.row();
            TlcOutput t = r.tlc();
            String violated = t.violated() == null ? "-" : t.violated();
            if (m.violated() != null && !m.violated().equals(t.violated())) {
                violated += " (manifest: " + m.violated() + ")";
            }
            rows.add(new String[] {m.model(), m.size(), m.expected(), t.result(), violated,
                    cell(m.distinct(), t.distinct(), compared.apply(t.result()).contains("distinct")),
                    cell(m.total(), t.total(), compared.apply(t.result()).contains("total")),
                    cell(m.depth(), t.depth(), compared.apply(t.result()).contains("depth")),
                    String.format(Locale.ROOT, "%.1f", r.seconds()), whole(r.distinctPerSecond()),
                    whole(r.generatedPerSecond()), mib(r.usage().peakKb()), r.verdict(),
                    r.tlc().trace().isEmpty() ? "-" : "[page](" + pageLink(m.model()) + ")"});
            if (r.usage().peakKb() != null) {
                peak = peak == null ? r.usage().peakKb() : Math.max(peak, r.usage().peakKb());
            }
            distinct += t.distinct() == null ? 0 : t.distinct();
            total += t.total() == null ? 0 : t.total();
            seconds += r.seconds();
            skipped += r.verdict().equals("SKIPPED") ? 1 : 0;
            notFound += r.verdict().equals("NOT FOUND") ? 1 : 0;
            ok += r.ok() ? 1 : 0;
        }
        ok -= skipped + notFound;
        String counts = ok + " OK, " + (skipped > 0 ? skipped + " SKIPPED, " : "")
                + (notFound > 0 ? notFound + " NOT FOUND, " : "") + (results.size() - ok - skipped - notFound) + " MISMATCH";
        // The totals row: the rates over the whole run, and the largest peak (the models run one after another).
        rows.add(new String[] {"total: " + results.size() + " models", "", "", "", "", Long.toString(distinct),
                Long.toString(total), "", String.format(Locale.ROOT, "%.1f", seconds),
                whole(rate(distinct, seconds)), whole(rate(total, seconds)), mib(peak) + (peak == null ? "" : " (max)"),
                counts, ""});
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            lines.add(tableLine(rows.get(i), width));
            if (i == 0) {
                String[] rule = new String[width.length];
                for (int c = 0; c < width.length; c++) {
                    rule[c] = "-".repeat(width[c]);
                }
                lines.add(tableLine(rule, width));
            }
        }
        return lines;
    }

    private static String tableLine(String[] cells, int[] width) {
        return tableLine(cells, width, 5, 11);
    }

    /** One table line, the cells padded to {@code width}, columns firstNumber..lastNumber right-aligned. */
    private static String tableLine(String[] cells, int[] width, int firstNumber, int lastNumber) {
        StringBuilder sb = new StringBuilder("|");
        for (int c = 0; c < cells.length; c++) {
            boolean number = c >= firstNumber && c <= lastNumber;
            String f = "%" + (number ? "" : "-") + width[c] + "s";
            sb.append(' ').append(String.format(f, cells[c])).append(" |");
        }
        return sb.toString();
    }

    /** A count as TLC reported it, with the manifest's number when that differs. */
    private static String cell(Long recorded, Long actual, boolean compared) {
        String s = dash(actual);
        return compared && recorded != null && !recorded.equals(actual) ? s + " (manifest: " + recorded + ")" : s;
    }

    private static String dash(Long n) {
        return n == null ? "-" : n.toString();
    }

    /** A rate rounded to a whole number, or "-". */
    static String whole(Double x) {
        return x == null ? "-" : Long.toString(Math.round(x));
    }

    /** KiB as MiB (whole), or "-" when the peak is unknown (no /proc: not Linux). */
    static String mib(Long kb) {
        return kb == null ? "-" : Long.toString(Math.round(kb / 1024.0));
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown" where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The cost report, target/model-check-cost.md: when and where the run was made (CPU count,
     * load average before and after: a load above the number of TLC workers means the CPU was
     * shared), then per model the counts, the wall time, the CPU time of the TLC JVM(s) and its
     * ratio to the wall time, the rates and the peak memory.
     */
    static String costReport(List<ModelResult> results, String launcher, java.time.ZonedDateTime started,
                             double runSeconds, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder("# Model check cost\n\n");
        sb.append("- started: ").append(started.withNano(0).format(java.time.format.DateTimeFormatter.ISO_INSTANT))
                .append('\n');
        sb.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                .append('\n');
        sb.append("- TLC: ").append(launcher).append('\n');
        sb.append("- load average (1, 5, 15 min) before: ").append(loadBefore).append("; after: ").append(loadAfter)
                .append('\n');
        sb.append(String.format(Locale.ROOT, "- whole run: %d models, %.1f s wall time (runner included)%n",
                results.size(), runSeconds));
        sb.append("- seconds = wall time of the TLC run (JVM start and parsing included); cpu s = CPU time of the"
                + " TLC JVM(s), user + system (GC threads included); rates = count / wall seconds; peak MiB = peak"
                + " resident set (VmHWM) of the TLC JVM, '-' where /proc is missing\n\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "size", "result", "distinct", "generated", "depth", "seconds", "cpu s",
                "cpu/wall", "distinct/s", "generated/s", "peak MiB"});
        long distinct = 0, total = 0;
        double seconds = 0, cpu = 0;
        boolean cpuKnown = false;
        Long peak = null;
        for (ModelResult r : results) {
            TlcOutput t = r.tlc();
            Double c = r.usage().cpuSeconds();
            rows.add(new String[] {r.row().model(), r.row().size(), t.result(), dash(t.distinct()), dash(t.total()),
                    dash(t.depth()), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    c == null ? "-" : String.format(Locale.ROOT, "%.1f", c),
                    c == null || r.seconds() <= 0 ? "-" : String.format(Locale.ROOT, "%.2f", c / r.seconds()),
                    whole(r.distinctPerSecond()), whole(r.generatedPerSecond()), mib(r.usage().peakKb())});
            distinct += t.distinct() == null ? 0 : t.distinct();
            total += t.total() == null ? 0 : t.total();
            seconds += r.seconds();
            if (c != null) {
                cpu += c;
                cpuKnown = true;
            }
            if (r.usage().peakKb() != null) {
                peak = peak == null ? r.usage().peakKb() : Math.max(peak, r.usage().peakKb());
            }
        }
        rows.add(new String[] {"total: " + results.size() + " models", "", "", Long.toString(distinct),
                Long.toString(total), "", String.format(Locale.ROOT, "%.1f", seconds),
                cpuKnown ? String.format(Locale.ROOT, "%.1f", cpu) : "-",
                cpuKnown && seconds > 0 ? String.format(Locale.ROOT, "%.2f", cpu / seconds) : "-",
                whole(rate(distinct, seconds)), whole(rate(total, seconds)), mib(peak) + (peak == null ? "" : " (max)")});
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            sb.append(tableLine(rows.get(i), width, 3, 11)).append('\n');
            if (i == 0) {
                String[] rule = new String[width.length];
                for (int c = 0; c < width.length; c++) {
                    rule[c] = "-".repeat(width[c]);
                }
                sb.append(tableLine(rule, width, 3, 11)).append('\n');
            }
        }
        return sb.toString();
    }

    /** Reads the command line; see the class comment. */
    static Options parseArgs(String[] args, Path cwd) {
        Options o = Options.defaults(cwd);
        Path root = cwd, manifest = null, out = null;
        boolean all = false, traces = false, update = false;
        List<String> models = new ArrayList<>();
        int workers = o.workers();
        String heap = o.heap();
        Mode mode = Mode.LOCAL;
        int distWorkers = o.distWorkers();
        long simNum = o.simNum();
        int simDepth = o.simDepth();
        Long seed = null;
        Duration timeLimit = o.timeLimit();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--size": {
                    String v = value(args, ++i, a);
                    if (!v.equals("small") && !v.equals("all")) {
                        throw new IllegalArgumentException("--size must be small or all, not " + v);
                    }
                    all = v.equals("all");
                    break;
                }
                case "--model": models.add(value(args, ++i, a)); break;
                case "--workers": workers = Integer.parseInt(value(args, ++i, a)); break;
                case "--heap": heap = value(args, ++i, a); break;
                case "--root": root = Path.of(value(args, ++i, a)).toAbsolutePath(); break;
                case "--manifest": manifest = Path.of(value(args, ++i, a)).toAbsolutePath(); break;
                case "--out": out = Path.of(value(args, ++i, a)).toAbsolutePath(); break;
                case "--traces": traces = true; break;
                case "--update-manifest": update = true; break;
                case "--timeout": timeLimit = Duration.ofSeconds(Long.parseLong(value(args, ++i, a))); break;
                case "--distributed":
                    mode = Mode.DISTRIBUTED;
                    distWorkers = Integer.parseInt(value(args, ++i, a));
                    break;
                case "--simulate": mode = Mode.SIMULATE; break;
                case "--num": simNum = Long.parseLong(value(args, ++i, a)); break;
                case "--depth": simDepth = Integer.parseInt(value(args, ++i, a)); break;
                case "--seed": seed = Long.parseLong(value(args, ++i, a)); break;
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1");
        }
        if (distWorkers < 1 || simNum < 1 || simDepth < 1) {
            throw new IllegalArgumentException("--distributed, --num and --depth need a number of at least 1");
        }
        if (update && mode != Mode.LOCAL) {
            throw new IllegalArgumentException("--update-manifest records tlc2.TLC's counts: not with --distributed"
                    + " or --simulate");
        }
        return new Options(root, manifest != null ? manifest : root.resolve("model-check/manifest.tsv"),
                out != null ? out : root.resolve("target"), all, List.copyOf(models), workers, heap, traces, update,
                mode, distWorkers, simNum, simDepth, seed, timeLimit);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    /** Command-line entry point; exit 0 all as expected, 1 some MISMATCH, 2 bad arguments or manifest. */
    public static void main(String[] args) throws Exception {
        Options options;
        ModelCheckRunner runner;
        try {
            options = parseArgs(args, Path.of("").toAbsolutePath());
            runner = new ModelCheckRunner(options, options.launcher(), System.out);
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("model check: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(runner.run().ok() ? 0 : 1);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("model check: " + e.getMessage());
            System.exit(2);
        }
    }
}
