package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;


/**
 * Checks traces in the language-neutral format of model-check/TRACE.md (written by
 * kernel-check/trace.c for the kernel's shadow.c, or by any port) with TLC against spec/Shadow.tla,
 * through spec/trace/KernelTrace.tla, and gives each trace one verdict (model-check/TRACE.md,
 * "Verdicts"):
 * <ul>
 * <li>ACCEPTED: a behaviour of the spec, every observation allowed;</li>
 * <li>RESULT: a returned value ({@code res}) the spec does not allow at that step (the step matches
 * once its {@code res} is not constrained);</li>
 * <li>PROPERTY: a property fails, named with the step: {@code StepOrder} (a thread's labels leave
 * the control flow of spec/Shadow.tla, and no listed refactor explains it) or {@code Observed} (no
 * step of the spec from its state there allows the record: a value read, an entry, a destructor
 * call, a lock taken while held, a reclaim while a reader is inside);</li>
 * <li>SHAPE: the labels leave the spec's control flow exactly as a listed, documented refactor does
 * ({@link #REFACTORS});</li>
 * <li>UNKNOWN-EVENT: a label the trace format has no rule for (the C recorder writes the events its
 * translation has no rule for as such);</li>
 * <li>INCOMPLETE: a truncated trace (no {@code end} line), or a process not idle at its end;</li>
 * <li>TOOL: the generator or TLC failed; says nothing about the code.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp <test class path> io.github.shadowvars.kit.KernelTraceCheck TRACES.txt OUTDIR [COUNT]}
 * (run from the repository root; COUNT: how many traces the file must hold). Prints one line per
 * trace not accepted and a last line {@code traces: total=N ACCEPTED=a RESULT=r PROPERTY=p SHAPE=s
 * UNKNOWN-EVENT=u INCOMPLETE=i TOOL=t steps=M tlc_seconds=T}; exit status 0 when every trace was
 * accepted, 1 otherwise, 2 when the file cannot be checked (malformed, empty, fewer traces than COUNT).
 *
 * <p>Traces are checked in batches of 250, one TLC run each ({@code -workers 1}); KernelTrace prints
 * each rejected or incomplete trace with the record no step matches, so one run gives every
 * trace of a batch its verdict. The labels are followed along the control-flow graph of
 * spec/trace/KernelShape.tla (read from that file) here, without TLC. A rejected step that returns
 * is checked once more (a second TLC run for all of them) with its {@code res} left out: matched, the
 * verdict is RESULT.
 */
public final class KernelTraceCheck {

    private KernelTraceCheck() {
    }

    private static final Pattern KV = Pattern.compile("([a-z]+)=(\\S+)");

    /** A trace of the file: its name, steps, and whether the file ended inside it (no end line). */
    record Trace(String name, List<TraceStep> steps, boolean truncated) {
    }

    /** The verdicts, each counted on its own. */
    public enum Verdict {
        ACCEPTED, RESULT, PROPERTY, SHAPE, UNKNOWN_EVENT, INCOMPLETE, TOOL;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    /** A trace's verdict, with what failed where (empty for ACCEPTED). */
    public record Outcome(String trace, Verdict verdict, String detail) {
    }

    /** The verdicts of a file's traces in file order, its steps, and the time TLC took. */
    public record Report(List<Outcome> outcomes, long steps, double tlcSeconds) {
    }

    /**
     * A documented refactor whose event sequence the spec does not have (SHAPE, not a bug by
     * itself): its name, where it is documented, and the sign it leaves around the rejected step.
     */
    record Refactor(String name, String documented, Sign sign) {
    }

    /** Whether step {@code at} of {@code steps}, the step no spec step matches, is part of the refactor's sequence. */
    interface Sign {
        boolean at(List<TraceStep> steps, int at);
    }

    /** The step of the same thread as step {@code at}, {@code dir} = -1 before it, +1 after it; null if none. */
    static TraceStep neighbour(List<TraceStep> steps, int at, int dir) {
        for (int k = at + dir; k >= 0 && k < steps.size(); k += dir) {
            if (steps.get(k).thread().equals(steps.get(at).thread())) {
                return steps.get(k);
            }
        }
        return null;
    }

    /**
     * The listed refactors. hash_for_each_safe in free_all: the walk loads the forward link of the
     * entry it stands on before the body runs, so a matching entry X is written {@code fa_walk e=X
     * o=follow} (the look-ahead load) and then {@code fa_del e=X} (kernel-check/README.md, "When the
     * trace check fails"; kernel-check/evidence/source-hash_for_each_safe-*).
     */
    static final List<Refactor> REFACTORS = List.of(new Refactor("hash_for_each_safe",
            "kernel-check/README.md, \"When the trace check fails\"", (steps, at) -> {
                TraceStep s = steps.get(at);
                TraceStep walk = s.label().equals("fa_del") ? neighbour(steps, at, -1) : s;
                TraceStep del = s.label().equals("fa_del") ? s : neighbour(steps, at, 1);
                return walk != null && del != null && walk.label().equals("fa_walk") && "follow".equals(walk.outcome())
                        && del.label().equals("fa_del") && walk.entry() == del.entry() && walk.entry() != 0;
            }));

    /** Reads the trace format (model-check/TRACE.md); a last trace without its end line is kept, truncated. */
    static List<Trace> read(Path file) throws IOException {
        List<Trace> traces = new ArrayList<>();
        String name = null;
        List<TraceStep> steps = null;
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("trace ")) {
                if (steps != null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": trace " + name + " has no end line");
                }
                name = l.substring(6).trim();
                steps = new ArrayList<>();
                continue;
            }
            if (l.equals("end")) {
                if (steps == null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": end without trace");
                }
                traces.add(new Trace(name, steps, false));
                steps = null;
                continue;
            }
            if (steps == null) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": a step outside a trace");
            }
            String[] w = l.split("\\s+", 4);
            if (w.length < 3) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": want SEQ THREAD LABEL [key=value...]");
            }
            Map<String, String> kv = new HashMap<>();
            if (w.length == 4) {
                Matcher m = KV.matcher(w[3]);
                while (m.find()) {
                    kv.put(m.group(1), m.group(2));
                }
            }
            String label = w[2];
            String thread = w[1].equals("-") ? "rcu" : w[1];
            boolean call = label.equals("Call");
            Object obj;
            long id;
            try {
                if (call) {
                    obj = kv.containsKey("obj") && !kv.get("obj").equals("-") ? kv.get("obj") : null;
                    id = Long.parseLong(kv.getOrDefault("id", "0"));
                } else {
                    // ro/ri: read from the entry's memory ("-" NULL, "?" none of the traced objects)
                    obj = kv.get("ro");
                    id = kv.containsKey("ri") ? Long.parseLong(kv.get("ri")) : TraceTla.NO_ID;
                }
                // res: the entry whose data the call returned ("?": no entry's); absent: not observed
                int res = kv.containsKey("res") ? num(kv.get("res")) : TraceTla.UNOBSERVED;
                steps.add(new TraceStep(Integer.parseInt(w[0]), thread, label, call ? kv.get("op") : null, obj, id,
                        num(kv.get("e")), kv.get("o"), num(kv.get("n")), res, kv.get("why")));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": not a number: " + e.getMessage());
            }
        }
        if (steps != null) {
            traces.add(new Trace(name, steps, true));
        }
        return traces;
    }

    /**
     * Writes traces in the trace format (model-check/TRACE.md), the inverse of {@link #read}: how a
     * recorder of another language (the Java one, StepRecorder) hands its traces to the same checker.
     * {@code objects} names the recorded objects (o1, o2); an object it does not name is written
     * {@code ?} (a string, as {@link #read} gives objects, as it is); threads are renamed t1, t2, t3
     * in the order of their first step (the recorder may have named the RCU callback's thread first); {@code a_set}, which has no event, is not written (as in C); a label with white space (a recorder's "unexpected: ..." event) is written as one
     * word, which no translation rule knows.
     */
    public static void write(Path file, Map<String, List<TraceStep>> traces, Map<Object, String> objects) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<TraceStep>> t : traces.entrySet()) {
            b.append("trace ").append(t.getKey()).append('\n');
            int seq = 0;
            Map<String, String> threads = new HashMap<>(); // t1, t2, t3 in order of first step; the RCU callback's is "-"
            for (TraceStep s : t.getValue()) {
                if (s.label().equals("a_set")) {
                    continue; // unobserved (no event): not written, KernelTrace takes it after a_recheck e=0
                }
                if (!s.label().equals("rcu_reclaim") && !s.thread().equals("rcu")) {
                    String name = threads.computeIfAbsent(s.thread(), th -> "t" + (threads.size() + 1));
                    s = new TraceStep(s.seq(), name, s.label(), s.op(), s.obj(), s.id(), s.entry(), s.outcome(), s.next(),
                            s.result(), s.why());
                }
                b.append(++seq).append(' ').append(line(s, objects));
                b.append('\n');
            }
            b.append("end\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b, StandardCharsets.UTF_8);
    }

    /** An object as the trace format writes it: its name, "-" (read as NULL) and "?" kept; unnamed: a string as read, else "?". */
    private static String written(Map<Object, String> objects, Object obj) {
        if ("-".equals(obj) || "?".equals(obj)) {
            return (String) obj;
        }
        return objects.getOrDefault(obj, obj instanceof String read ? read : "?");
    }

    private static int num(String s) {
        return s == null || s.equals("-") ? 0 : s.equals("?") ? TraceTla.UNKNOWN_ENTRY : Integer.parseInt(s);
    }

    // ------------------------------------------------------------ the labels' control flow

    /** Shadow.tla's control flow, read from spec/trace/KernelShape.tla (its CFG and Unobserved). */
    record ControlFlow(Map<String, Set<String>> cfg, Set<String> unobserved) {

        static ControlFlow read(Path kernelShape) throws IOException {
            String text = Files.readString(kernelShape, StandardCharsets.UTF_8);
            int from = text.indexOf("CFG ==");
            int to = text.indexOf("]\n", from);
            if (from < 0 || to < 0) {
                throw new IllegalStateException(kernelShape + ": no CFG == [...] found");
            }
            Map<String, Set<String>> cfg = new LinkedHashMap<>();
            Matcher m = Pattern.compile("(\\w+) \\|-> \\{([^}]*)\\}").matcher(text.substring(from, to + 1));
            while (m.find()) {
                Set<String> next = new HashSet<>();
                for (String l : m.group(2).split(",")) {
                    next.add(l.strip().replace("\"", ""));
                }
                cfg.put(m.group(1), next);
            }
            Matcher u = Pattern.compile("Unobserved == \\{([^}]*)\\}").matcher(text);
            Set<String> unobserved = new HashSet<>();
            if (u.find()) {
                for (String l : u.group(1).split(",")) {
                    unobserved.add(l.strip().replace("\"", ""));
                }
            }
            return new ControlFlow(cfg, unobserved);
        }

        /** Every label a record may carry. */
        Set<String> labels() {
            Set<String> all = new HashSet<>(cfg.keySet());
            all.add("Call");
            all.add("rcu_reclaim");
            return all;
        }

        /** The first label of an operation (KernelShape's FirstLabel). */
        static String first(String op) {
            return switch (op == null ? "" : op) {
                case "get", "alloc", "getOrAlloc" -> "g_lock";
                case "free" -> "f_lock";
                case "freeAll" -> "fa_lock";
                default -> "?";
            };
        }

        /** The labels after {@code l}, an unobserved one taken at once (as KernelShape's ShapeNext). */
        Set<String> after(String l) {
            Set<String> out = new HashSet<>();
            for (String n : cfg.getOrDefault(l, Set.of())) {
                if (unobserved.contains(n)) {
                    out.addAll(after(n));
                } else {
                    out.add(n);
                }
            }
            return out;
        }

        /**
         * The first step whose label its thread cannot take after its previous ones, or -1 when
         * every step follows the control flow.
         */
        int leaves(List<TraceStep> steps) {
            Map<String, Set<String>> next = new HashMap<>();
            for (int k = 0; k < steps.size(); k++) {
                TraceStep s = steps.get(k);
                if (s.label().equals("rcu_reclaim")) {
                    continue;
                }
                Set<String> can = next.getOrDefault(s.thread(), Set.of("idle"));
                String at = s.label().equals("Call") ? "idle" : s.label();
                if (!can.contains(at)) {
                    return k;
                }
                next.put(s.thread(), s.label().equals("Call") ? Set.of(first(s.op())) : after(s.label()));
            }
            return -1;
        }
    }

    // ------------------------------------------------------------------- TLC

    /**
     * The verdict of one TLC run: its exit code, distinct states, KernelTrace's printed lines, and a
     * property TLC found violated (null if none) with the trace and record position of the state.
     */
    record Run(int exit, long distinct, Map<Integer, Rejection> rejected, double seconds, Path output,
               Violation violation) {
    }

    /** A property violated in the state reached after record {@code record - 1} of trace {@code trace} (1-based). */
    record Violation(String property, int trace, int record) {
    }

    /**
     * The properties of spec/ShadowProperties.tla evaluated on every state (the invariants) and every
     * step (the action properties) of every trace: the invariants of the models
     * (model-check/Small2x2x2.cfg), Linearizable, and RefinementStep (the step part of Refinement;
     * a trace starts from the empty table, where Refinement's initial condition holds).
     */
    static final List<String> INVARIANTS = List.of("TypeOK", "UniqueKey", "SpinlockMutex", "NoUseAfterReclaim",
            "PublishedFieldsSet", "ConstructedBeforePublished", "DestructorOnce", "ReclaimAfterGracePeriod", "NoLeak");
    static final List<String> PROPERTIES = List.of("Linearizable", "RefinementStep");

    private static final Pattern VIOLATED = Pattern.compile("Error: (?:Invariant|Action property) (\\S+) is violated");

    /** A trace KernelTrace printed: "rejected" at record i (1-based), or "incomplete"; the spec's lock and pcs there. */
    record Rejection(String what, int record, String lock, String pcs) {
    }

    private static final Pattern PRINTED = Pattern.compile(
            "<< ?\"(rejected|incomplete)\", (\\d+), (\\d+), (\\w+), \\((.*?)\\) ?>>");

    private static final Map<Object, String> OBJECTS = Map.of("o1", "o1", "o2", "o2");

    /** Writes the batch as a module on KernelTrace and runs TLC: the whole traces, or prefixes (no idle end needed). */
    static Run tlc(Path root, Path dir, String name, List<List<TraceStep>> traces, Set<Integer> prefixes,
                   String bug) throws IOException, InterruptedException {
        TraceTla.Batch b = TraceTla.generate(name, traces, OBJECTS, bug);
        String module = b.module()
                .replace("EXTENDS ShadowTrace", "EXTENDS KernelTrace, ShadowProperties")
                .replace("kit/TraceTla.java from recorded runs of the Java table",
                        "kit/KernelTraceCheck.java (via TraceTla) from traces in the format of model-check/TRACE.md")
                .replace("BatchNext == TraceNext(TheTraces)", "BatchNext == KernelStep(TheTraces, "
                        + prefixes.stream().map(k -> Integer.toString(k + 1)).collect(Collectors.joining(", ", "{", "}")) + ")");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".tla"), module, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".cfg"), b.config() + "INVARIANTS " + String.join(" ", INVARIANTS)
                + "\nPROPERTIES " + String.join(" ", PROPERTIES) + "\n", StandardCharsets.UTF_8);
        for (Path m : List.of(root.resolve("spec/Shadow.tla"), root.resolve("spec/ShadowDriver.tla"),
                root.resolve("spec/ShadowAtomic.tla"), root.resolve("spec/ShadowOps.tla"),
                root.resolve("spec/ShadowAux.tla"), root.resolve("spec/ShadowMutants.tla"),
                root.resolve("spec/ShadowProperties.tla"),
                root.resolve("spec/trace/ShadowTrace.tla"), root.resolve("spec/trace/KernelTrace.tla"))) {
            Files.copy(m, dir.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = dir.resolve(name + ".out");
        List<String> command = Tlc.command(List.of("-Xmx512m", "-Djava.io.tmpdir=" + tmp.toAbsolutePath()),
                dir.resolve("states-" + name), List.of("-config", name + ".cfg", "-cleanup", name));
        long start = System.nanoTime();
        int exit = Tlc.run(name, command, dir, out, Tlc.SMALL_MODEL_LIMIT);
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Map<Integer, Rejection> rejected = new HashMap<>();
        // TLC breaks a long printed value over lines: match on the output with its white space joined
        Matcher m = PRINTED.matcher(output.replaceAll("\\s+", " "));
        while (m.find()) {
            rejected.putIfAbsent(Integer.parseInt(m.group(2)),
                    new Rejection(m.group(1), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
        }
        Violation violation = null;
        Matcher v = VIOLATED.matcher(output);
        if (v.find()) {
            violation = new Violation(v.group(1), (int) TraceTla.lastNumber(output, "/\\\\ tr = ([0-9]+)"),
                    (int) TraceTla.lastNumber(output, "/\\\\ i = ([0-9]+)"));
        } else if (output.contains("Temporal properties were violated")) {
            violation = new Violation(String.join(" or ", PROPERTIES) + " (TLC names none)",
                    (int) TraceTla.lastNumber(output, "/\\\\ tr = ([0-9]+)"), (int) TraceTla.lastNumber(output, "/\\\\ i = ([0-9]+)"));
        }
        return new Run(exit, TraceTla.lastNumber(output, "([0-9,]+) distinct states found"), rejected, seconds, out,
                violation);
    }

    /** States of a fully matched batch: one per record and start, one per unobserved a_set. */
    static long expectedStates(List<List<TraceStep>> traces) {
        return expectedStates(traces, Map.of());
    }

    /**
     * The distinct states TLC must find when each trace is followed along one path: one per start
     * and matched record, one per unobserved a_set, and for a trace KernelTrace printed, its first
     * {@code record - 1} records and a sink state.
     */
    static long expectedStates(List<List<TraceStep>> traces, Map<Integer, Rejection> rejected) {
        long n = 0;
        for (int j = 0; j < traces.size(); j++) {
            List<TraceStep> t = traces.get(j);
            Rejection r = rejected.get(j + 1);
            List<TraceStep> matched = r == null ? t : t.subList(0, Math.min(t.size(), r.record() - 1));
            n += matched.size() + 1 + (r == null ? 0 : 1);
            n += matched.stream().filter(s -> s.label().equals("a_recheck") && s.entry() == 0).count();
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: KernelTraceCheck TRACES.txt OUTDIR [COUNT]");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : -1));
    }

    /** {@link #run(Path, Path, int)} with no expected count. */
    public static int run(Path file, Path out) throws Exception {
        return run(file, out, -1);
    }

    /**
     * Checks every trace of {@code file} (format: model-check/TRACE.md), TLC's files under
     * {@code out}; prints a line per trace not accepted and the counts per verdict. Returns 0 when
     * every trace was accepted, 1 when some was not, 2 when the file cannot be checked (malformed,
     * no trace, or fewer than {@code count} traces when {@code count >= 0}).
     */
    public static int run(Path file, Path out, int count) throws Exception {
        return run(Path.of("").toAbsolutePath(), file, out, count);
    }

    /** {@link #run(Path, Path, int)} against the spec under {@code root} (spec/, as in a checkout). */
    public static int run(Path root, Path file, Path out, int count) throws Exception {
        Report report;
        try {
            report = check(root, file, out, count);
        } catch (IllegalArgumentException e) {
            System.out.println("traces: ERROR: " + e.getMessage());
            return 2;
        } catch (java.nio.file.NoSuchFileException | java.nio.charset.MalformedInputException e) {
            System.out.println("traces: ERROR: " + file + " cannot be read (" + e + ")");
            return 2;
        }
        Map<Verdict, Integer> n = new EnumMap<>(Verdict.class);
        for (Verdict v : Verdict.values()) {
            n.put(v, 0);
        }
        List<Outcome> outcomes = report.outcomes();
        for (Outcome o : outcomes) {
            n.merge(o.verdict(), 1, Integer::sum);
            if (o.verdict() != Verdict.ACCEPTED) {
                System.out.println("traces: " + o.verdict() + " " + o.trace() + ": " + o.detail());
            }
        }
        StringBuilder line = new StringBuilder("traces: total=" + outcomes.size());
        for (Verdict v : Verdict.values()) {
            line.append(' ').append(v).append('=').append(n.get(v));
        }
        System.out.println(line.append(String.format(" steps=%d tlc_seconds=%.0f", report.steps(), report.tlcSeconds())));
        return n.get(Verdict.ACCEPTED) == outcomes.size() ? 0 : 1;
    }

    /**
     * The verdict of every trace of {@code file}, in file order. Throws IllegalArgumentException
     * when the file cannot be checked: malformed, no trace, or fewer than {@code count} traces.
     */
    public static Report check(Path root, Path file, Path out, int count) throws IOException, InterruptedException {
        return check(root, file, out, count, "none");
    }

    /**
     * As {@link #check(Path, Path, Path, int)}, against the spec variant {@code bug} (a seeded-bug step
     * of spec/ShadowMutants.tla, e.g. "NoRecheck": how the property checks are seen failing), or "none".
     */
    public static Report check(Path root, Path file, Path out, int count, String bug)
            throws IOException, InterruptedException {
        List<Trace> traces = read(file);
        if (traces.isEmpty()) {
            throw new IllegalArgumentException(file + ": no trace in the file (an empty trace file checks nothing)");
        }
        if (count >= 0 && traces.size() < count) {
            throw new IllegalArgumentException(file + ": " + traces.size() + " traces, fewer than the " + count + " asked for");
        }
        ControlFlow cf = ControlFlow.read(root.resolve("spec/trace/KernelShape.tla"));
        Set<String> labels = cf.labels();
        Outcome[] verdicts = new Outcome[traces.size()];
        List<Integer> toCheck = new ArrayList<>();
        int[] limit = new int[traces.size()];   // the steps TLC checks: those before the first unknown label
        for (int k = 0; k < traces.size(); k++) {
            Trace t = traces.get(k);
            limit[k] = t.steps().size();
            for (int j = 0; j < t.steps().size(); j++) {
                if (!labels.contains(t.steps().get(j).label())) {
                    limit[k] = j;
                    break;
                }
            }
            if (limit[k] == 0 && !t.steps().isEmpty()) {
                verdicts[k] = unknown(t, 0);
                continue;
            }
            try {
                TraceTla.generate("Probe", List.of(t.steps().subList(0, limit[k])), OBJECTS, "none");
                toCheck.add(k);
            } catch (RuntimeException e) {
                verdicts[k] = new Outcome(t.name(), Verdict.TOOL, "the generator cannot write it as TLA+: " + e.getMessage());
            }
        }
        Path outDir = out.toAbsolutePath();
        int perBatch = 250;
        double seconds = 0;
        // record index (0-based) of each rejected trace whose step returns: checked again with res left out
        Map<Integer, Integer> resultCandidates = new LinkedHashMap<>();
        for (int from = 0, b = 1; from < toCheck.size(); from += perBatch, b++) {
            List<Integer> batch = new ArrayList<>(toCheck.subList(from, Math.min(toCheck.size(), from + perBatch)));
            String name = "KernelBatch_" + b;
            // a property violated: that trace's verdict, and the batch again without it
            Run r;
            List<List<TraceStep>> recs;
            Set<Integer> prefixes;
            for (int attempt = 1; ; attempt++) {
                recs = batch.stream().map(k -> traces.get(k).steps().subList(0, limit[k])).toList();
                // a trace cut before an unknown label, or truncated, is checked as a prefix (no idle end needed)
                prefixes = new HashSet<>();
                for (int j = 0; j < batch.size(); j++) {
                    Trace t = traces.get(batch.get(j));
                    if (t.truncated() || limit[batch.get(j)] < t.steps().size()) {
                        prefixes.add(j);
                    }
                }
                String run = attempt == 1 ? name : name + "_" + attempt;
                r = tlc(root, outDir.resolve(run), run, recs, prefixes, bug);
                seconds += r.seconds();
                Violation v = r.violation();
                if (v == null || v.trace() < 1 || v.trace() > batch.size()) {
                    break;
                }
                int k = batch.remove(v.trace() - 1);
                List<TraceStep> st = traces.get(k).steps();
                String after = v.record() >= 2 && v.record() - 2 < st.size() ? "after step " + st.get(v.record() - 2).seq()
                        + " (" + line(st.get(v.record() - 2)) + ")" : "in its initial state";
                verdicts[k] = new Outcome(traces.get(k).name(), Verdict.PROPERTY, v.property() + " violated " + after
                        + " (spec/ShadowProperties.tla; TLC's output " + r.output() + ")");
                System.out.printf("traces: %s: %s violated in trace %s; checked again without it%n", run, v.property(),
                        traces.get(k).name());
                if (batch.isEmpty()) {
                    break;
                }
            }
            if (batch.isEmpty()) {
                continue;
            }
            // the states each trace's verdict implies: a cross-check of the verdicts read from TLC's output
            long expected = expectedStates(recs, r.rejected());
            System.out.printf("traces: %s: %d traces, TLC exit %d, %d distinct states (expected %d), "
                    + "%d not accepted, %.1f s%n", name, batch.size(), r.exit(), r.distinct(), expected, r.rejected().size(),
                    r.seconds());
            if (r.exit() != 0 || r.distinct() != expected) {
                String why = r.exit() != 0 ? "TLC exit " + r.exit() : "TLC found " + r.distinct()
                        + " distinct states, not the " + expected + " its verdicts imply (a trace matched along more than"
                        + " one path, or a verdict TLC printed was not read)";
                for (int k : batch) {
                    verdicts[k] = new Outcome(traces.get(k).name(), Verdict.TOOL, why + "; output " + r.output());
                }
                continue;
            }
            for (int j = 0; j < batch.size(); j++) {
                int k = batch.get(j);
                Trace t = traces.get(k);
                Rejection rej = r.rejected().get(j + 1);
                if (rej == null && limit[k] < t.steps().size()) {
                    verdicts[k] = unknown(t, limit[k]);
                } else if (rej == null && t.truncated()) {
                    verdicts[k] = new Outcome(t.name(), Verdict.INCOMPLETE, "truncated: the file ends after its step "
                            + (t.steps().isEmpty() ? 0 : t.steps().get(t.steps().size() - 1).seq()) + ", with no end line");
                } else if (rej == null) {
                    verdicts[k] = new Outcome(t.name(), Verdict.ACCEPTED, "");
                } else if (rej.what().equals("incomplete")) {
                    verdicts[k] = new Outcome(t.name(), Verdict.INCOMPLETE, "every step matched, but at its end a process is "
                            + "not idle: an operation did not return (" + state(t.steps(), rej) + ")");
                } else {
                    verdicts[k] = classify(cf, t, t.steps().subList(0, limit[k]), rej, resultCandidates, k);
                }
            }
        }
        // RESULT: the rejected returning steps, matched once their res is left out
        if (!resultCandidates.isEmpty()) {
            List<Integer> ks = new ArrayList<>(resultCandidates.keySet());
            List<List<TraceStep>> prefixes = new ArrayList<>();
            for (int k : ks) {
                int at = resultCandidates.get(k);
                List<TraceStep> p = new ArrayList<>(traces.get(k).steps().subList(0, at));
                TraceStep s = traces.get(k).steps().get(at);
                p.add(new TraceStep(s.seq(), s.thread(), s.label(), s.op(), s.obj(), s.id(), s.entry(), s.outcome(),
                        s.next(), TraceTla.UNOBSERVED, s.why()));
                prefixes.add(p);
            }
            Set<Integer> all = new HashSet<>();
            for (int j = 0; j < prefixes.size(); j++) {
                all.add(j);
            }
            Run r = tlc(root, outDir.resolve("KernelResult"), "KernelResult", prefixes, all, bug);
            seconds += r.seconds();
            for (int j = 0; j < ks.size(); j++) {
                int k = ks.get(j);
                if (r.exit() != 0) {
                    verdicts[k] = new Outcome(traces.get(k).name(), Verdict.TOOL, "the check of its returned value: TLC exit "
                            + r.exit() + "; output " + r.output());
                } else if (!r.rejected().containsKey(j + 1)) {
                    TraceStep s = traces.get(k).steps().get(resultCandidates.get(k));
                    verdicts[k] = new Outcome(traces.get(k).name(), Verdict.RESULT, "step " + s.seq() + " (" + line(s)
                            + "): the call returned " + (s.result() == 0 ? "NULL" : s.result() == TraceTla.UNKNOWN_ENTRY
                            ? "a pointer that is no entry's data" : "entry " + s.result() + "'s data")
                            + ", which the spec does not allow there (the step matches with its res left out)");
                }
            }
        }
        long steps = traces.stream().mapToLong(t -> t.steps().size()).sum();
        return new Report(List.of(verdicts), steps, seconds);
    }

    /** The verdict of a trace with a label the format has no rule for, at step index {@code at}. */
    private static Outcome unknown(Trace t, int at) {
        TraceStep s = t.steps().get(at);
        return new Outcome(t.name(), Verdict.UNKNOWN_EVENT, "step " + s.seq() + " (" + line(s) + "): no rule for this "
                + "label (the steps before it are accepted as far as they go); a bug until shown otherwise");
    }

    /** The verdict of a trace KernelTrace rejected at a record (not its end); {@code steps}: the steps TLC checked. */
    private static Outcome classify(ControlFlow cf, Trace t, List<TraceStep> steps, Rejection rej,
                                    Map<Integer, Integer> resultCandidates, int k) {
        int at = rej.record() - 1;
        TraceStep s = steps.get(at);
        for (Refactor f : REFACTORS) {
            if (f.sign().at(steps, at)) {
                return new Outcome(t.name(), Verdict.SHAPE, "step " + s.seq() + " (" + line(s) + "): the event sequence of "
                        + f.name() + ", a listed refactor (" + f.documented() + "): not a bug by itself; the rest of the "
                        + "trace is not checked");
            }
        }
        int leaves = cf.leaves(steps.subList(0, at + 1));
        if (leaves >= 0) {
            TraceStep l = steps.get(leaves);
            return new Outcome(t.name(), Verdict.PROPERTY, "StepOrder at step " + l.seq() + " (" + line(l) + "): its "
                    + "thread cannot take this step after its previous ones in spec/Shadow.tla's control flow "
                    + "(spec/trace/KernelShape.tla), and no listed refactor explains it");
        }
        if (s.why() != null && s.result() != TraceTla.UNOBSERVED) {
            resultCandidates.put(k, at);   // RESULT if the step matches with its res left out (checked next)
        }
        return new Outcome(t.name(), Verdict.PROPERTY, "Observed at step " + s.seq() + " (" + line(s) + "): no step of "
                + "spec/Shadow.tla from its state there allows this record (spec/trace/ShadowTrace.tla, Observed and Match; "
                + "there " + state(steps, rej) + ")");
    }

    /**
     * The spec's lock holder and program counters KernelTrace printed, with the trace's own thread
     * names (the generator names the threads t1, t2, t3 in the order they first appear).
     */
    static String state(List<TraceStep> steps, Rejection rej) {
        Map<String, String> names = new HashMap<>();
        for (TraceStep s : steps) {
            if (!s.label().equals("rcu_reclaim") && !names.containsValue(s.thread())) {
                names.put("t" + (names.size() + 1), s.thread());
            }
        }
        StringBuilder b = new StringBuilder("the lock is ")
                .append(rej.lock().equals("Nil") ? "free" : "held by " + names.getOrDefault(rej.lock(), rej.lock()));
        Matcher m = Pattern.compile("(t\\d) :> \"(\\w+)\"").matcher(rej.pcs());
        while (m.find()) {
            if (names.containsKey(m.group(1))) {
                b.append(", ").append(names.get(m.group(1))).append(" at ").append(m.group(2));
            }
        }
        return b.toString();
    }

    /** A step as a line of the trace format, near enough to find it in the file (its objects as they were read). */
    private static String line(TraceStep s) {
        return line(s, Map.of());
    }

    /** A step as a line of the trace format without its SEQ: THREAD LABEL [key=value...]; objects named by {@code objects}. */
    private static String line(TraceStep s, Map<Object, String> objects) {
        StringBuilder b = new StringBuilder(s.thread().equals("rcu") || s.label().equals("rcu_reclaim") ? "-" : s.thread())
                .append(' ').append(s.label().strip().replaceAll("\\s+", "_"));
        if (s.label().equals("Call")) {
            return b.append(" op=").append(s.op()).append(" obj=").append(s.obj() == null ? "-" : written(objects, s.obj()))
                    .append(" id=").append(s.id()).toString();
        }
        b.append(" e=").append(entryWritten(s.entry()));
        if (s.outcome() != null) {
            b.append(" o=").append(s.outcome());
        }
        if ("follow".equals(s.outcome()) || "nextBucket".equals(s.outcome())) {
            b.append(" n=").append(entryWritten(s.next()));
        }
        if (s.obj() != null) {
            b.append(" ro=").append(written(objects, s.obj()));
            if (s.id() != TraceTla.NO_ID) {
                b.append(" ri=").append(s.id());
            }
        }
        if (s.why() != null) {
            if (s.result() != TraceTla.UNOBSERVED) {
                b.append(" res=").append(entryWritten(s.result()));
            }
            b.append(" why=").append(s.why());
        }
        return b.toString();
    }

    /** An entry number as the format writes it: {@code ?} for one the recorder could not name (the inverse of {@link #num}). */
    private static String entryWritten(int e) {
        return e == TraceTla.UNKNOWN_ENTRY ? "?" : Integer.toString(e);
    }
}
