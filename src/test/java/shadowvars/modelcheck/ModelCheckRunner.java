package shadowvars.modelcheck;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks every model listed in model-check/manifest.tsv with TLC and compares what TLC reports with
 * what the manifest expects: the outcome (success, safety, liveness, deadlock), the violated
 * invariant or property, and the recorded state counts and depth. A model whose outcome or counts
 * differ is a MISMATCH, and the run fails. Prints a summary table (also written to
 * target/model-check-summary.md) and every unexpected counterexample one line per step; TLC's raw
 * output stays in target/tlc/&lt;model&gt;/tlc.out.
 *
 * <pre>
 * usage: ModelCheckRunner [--size small|all] [--model NAME]... [--workers N] [--heap SIZE]
 *                         [--root DIR] [--manifest FILE] [--out DIR] [--traces] [--update-manifest]
 * exit:  0 every model as expected, 1 some model MISMATCH, 2 bad arguments or manifest
 * </pre>
 * TLC itself always runs in JVMs of its own (see {@link TlcLauncher}); this class can run
 * in-process, e.g. from a JUnit test, through {@link #run}.
 */
public final class ModelCheckRunner {

    /** What to check and how; see {@link #parseArgs} for the command-line names. */
    record Options(Path root, Path manifest, Path out, boolean allSizes, List<String> models, int workers,
                   String heap, boolean printAllTraces, boolean updateManifest) {

        /** The defaults: the project in {@code root}, small models, 1 worker, 4 GiB heap. */
        static Options defaults(Path root) {
            return new Options(root, root.resolve("model-check/manifest.tsv"), root.resolve("target"),
                    false, List.of(), 1, "4g", false, false);
        }

        Options withModels(List<String> m) {
            return new Options(root, manifest, out, allSizes, m, workers, heap, printAllTraces, updateManifest);
        }

        Options withAllSizes(boolean all) {
            return new Options(root, manifest, out, all, models, workers, heap, printAllTraces, updateManifest);
        }

        Options withManifest(Path m) {
            return new Options(root, m, out, allSizes, models, workers, heap, printAllTraces, updateManifest);
        }

        Options withOut(Path o) {
            return new Options(root, manifest, o, allSizes, models, workers, heap, printAllTraces, updateManifest);
        }

        Options withUpdateManifest(boolean u) {
            return new Options(root, manifest, out, allSizes, models, workers, heap, printAllTraces, u);
        }
    }

    /**
     * The outcome for one model.
     *
     * @param verdict  "OK", "MISMATCH", or "UPDATED" (counts differed and --update-manifest wrote the new ones)
     * @param problems why the verdict is not OK, one sentence each
     * @param trace    the counterexample, one line per step (empty if TLC printed none)
     */
    record ModelResult(Manifest.Row row, TlcOutput tlc, double seconds, String verdict, List<String> problems,
                       List<String> trace) {
        boolean ok() {
            return !verdict.equals("MISMATCH");
        }
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
            log.printf("[%d/%d] %s: %s%s, %s distinct, %s total, depth %s, %.1f s: %s%n", n, selected.size(),
                    row.model(), r.tlc().result(), r.tlc().violated() == null ? "" : " (" + r.tlc().violated() + ")",
                    dash(r.tlc().distinct()), dash(r.tlc().total()), dash(r.tlc().depth()), r.seconds(), r.verdict());
            if (!r.trace().isEmpty() && (options.printAllTraces() || !r.ok())) {
                log.println("  counterexample (" + r.tlc().message() + "):");
                r.trace().forEach(log::println);
            }
        }
        if (manifestChanged) {
            Manifest.write(options.manifest(), updated);
            log.println("manifest updated: " + options.manifest());
        }
        Report report = new Report(results, table(results));
        Files.createDirectories(options.out());
        Files.writeString(options.out().resolve("model-check-summary.md"),
                "# Model check summary\n\n" + report.summary(), StandardCharsets.UTF_8);
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
        return manifest.rows.stream().filter(r -> options.allSizes() || r.size().equals("small")).toList();
    }

    /** Runs TLC on one model and judges the result. */
    ModelResult check(Manifest.Row row, Map<String, String> labels) throws IOException, InterruptedException {
        Path config = options.root().resolve("model-check").resolve(row.model() + ".cfg").toAbsolutePath();
        Path specDir = options.root().resolve("spec").toAbsolutePath();
        Path dir = options.out().resolve("tlc").resolve(row.model()).toAbsolutePath();
        Path outFile = dir.resolve("tlc.out");
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("trace.txt"));
        List<String> problems = new ArrayList<>();
        TlcOutput tlc;
        double seconds = 0;
        if (!Files.exists(config) || !Files.exists(specDir.resolve(row.module() + ".tla"))) {
            String missing = !Files.exists(config) ? config.toString() : specDir.resolve(row.module() + ".tla").toString();
            tlc = new TlcOutput("error", -1, null, null, null, null, "missing file " + missing, List.of());
            Files.writeString(outFile, "(TLC not started: missing file " + missing + ")\n");
        } else {
            long start = System.nanoTime();
            int exit = launcher.run(new TlcLauncher.Job(row.model(), row.module(), specDir, config,
                    dir.resolve("states"), outFile));
            seconds = (System.nanoTime() - start) / 1e9;
            String output = Files.readString(outFile, StandardCharsets.UTF_8);
            tlc = TlcOutput.parse(exit, output, onlyProperty(config));
            if (tlc.result().equals("error")) {
                problems.add("TLC stopped with exit code " + exit + " (" + tlc.message() + "); its output: " + outFile);
            }
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
        List<String> countDiffs = new ArrayList<>();
        compare("distinct", row.distinct(), tlc.distinct(), countDiffs);
        compare("total", row.total(), tlc.total(), countDiffs);
        compare("depth", row.depth(), tlc.depth(), countDiffs);
        boolean unrecorded = row.distinct() == null || row.total() == null || row.depth() == null;
        String verdict;
        if (!resultMatches) {
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
        return new ModelResult(row, tlc, seconds, verdict, problems, trace);
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
        return props.size() == 1 ? props.get(0) : null;
    }

    /** The summary as a markdown table, columns padded so that it also reads as plain text. */
    static List<String> table(List<ModelResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"model", "size", "expected", "actual", "violated", "distinct", "total", "depth",
                "seconds", "verdict"});
        long distinct = 0, total = 0;
        double seconds = 0;
        int ok = 0;
        for (ModelResult r : results) {
            Manifest.Row m = r.row();
            TlcOutput t = r.tlc();
            String violated = t.violated() == null ? "-" : t.violated();
            if (m.violated() != null && !m.violated().equals(t.violated())) {
                violated += " (manifest: " + m.violated() + ")";
            }
            rows.add(new String[] {m.model(), m.size(), m.expected(), t.result(), violated,
                    cell(m.distinct(), t.distinct()), cell(m.total(), t.total()), cell(m.depth(), t.depth()),
                    String.format(Locale.ROOT, "%.1f", r.seconds()), r.verdict()});
            distinct += t.distinct() == null ? 0 : t.distinct();
            total += t.total() == null ? 0 : t.total();
            seconds += r.seconds();
            ok += r.ok() ? 1 : 0;
        }
        rows.add(new String[] {"total: " + results.size() + " models", "", "", "", "", Long.toString(distinct),
                Long.toString(total), "", String.format(Locale.ROOT, "%.1f", seconds),
                ok + " OK, " + (results.size() - ok) + " MISMATCH"});
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
        StringBuilder sb = new StringBuilder("|");
        for (int c = 0; c < cells.length; c++) {
            boolean number = c >= 5 && c <= 8;
            String f = "%" + (number ? "" : "-") + width[c] + "s";
            sb.append(' ').append(String.format(f, cells[c])).append(" |");
        }
        return sb.toString();
    }

    /** A count as TLC reported it, with the manifest's number when that differs. */
    private static String cell(Long recorded, Long actual) {
        String s = dash(actual);
        return recorded != null && !recorded.equals(actual) ? s + " (manifest: " + recorded + ")" : s;
    }

    private static String dash(Long n) {
        return n == null ? "-" : n.toString();
    }

    /** Reads the command line; see the class comment. */
    static Options parseArgs(String[] args, Path cwd) {
        Options o = Options.defaults(cwd);
        Path root = cwd, manifest = null, out = null;
        boolean all = false, traces = false, update = false;
        List<String> models = new ArrayList<>();
        int workers = o.workers();
        String heap = o.heap();
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
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1");
        }
        return new Options(root, manifest != null ? manifest : root.resolve("model-check/manifest.tsv"),
                out != null ? out : root.resolve("target"), all, List.copyOf(models), workers, heap, traces, update);
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
            runner = new ModelCheckRunner(options,
                    new LocalTlcLauncher(LocalTlcLauncher.findJar(), options.workers(), options.heap()), System.out);
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
