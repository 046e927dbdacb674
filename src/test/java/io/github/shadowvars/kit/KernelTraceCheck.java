package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.shadowvars.StepRecorder;

/**
 * Checks traces in the language-neutral format of model-check/TRACE.md (written by
 * kernel-check/trace.c for the kernel's shadow.c, or by any port) with TLC against spec/Shadow.tla,
 * through spec/trace/KernelTrace.tla.
 *
 * <p>Usage: {@code java -cp <test class path> io.github.shadowvars.kit.KernelTraceCheck TRACES.txt OUTDIR}
 * (run from the repository root). Prints one line per rejected trace and a last line
 * {@code traces: total=N accepted=A shape=S property=P steps=M tlc_seconds=T}; exit status 0 when
 * every trace was accepted, 1 otherwise, 2 on a malformed file.
 *
 * <p>Traces are checked in batches of 250 (one TLC run each, {@code -workers 1}). A batch TLC rejects
 * names the trace that left the spec and how much of it matched; that trace is then checked alone
 * with the labels only (KernelTrace's ShapeNext): if a path of the spec's steps still follows it to
 * its end, the rejection is a <b>property</b> failure (an observation the spec does not allow:
 * a wrong result, a missed entry, a destructor not called, a reclaim during a read-side section),
 * else a <b>shape</b> failure (the C code's steps are not in the spec's order: a refactor, or a
 * missing step). The batch is then checked again without it; after 3 rejections the rest is not
 * checked (reported as not checked).
 */
public final class KernelTraceCheck {

    private KernelTraceCheck() {
    }

    private static final Pattern KV = Pattern.compile("([a-z]+)=(\\S+)");

    /** A trace of the file: its name and steps. */
    record Trace(String name, List<StepRecorder.Step> steps) {
    }

    /** Reads the trace format (model-check/TRACE.md). */
    static List<Trace> read(Path file) throws IOException {
        List<Trace> traces = new ArrayList<>();
        String name = null;
        List<StepRecorder.Step> steps = null;
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("trace ")) {
                name = l.substring(6).trim();
                steps = new ArrayList<>();
                continue;
            }
            if (l.equals("end")) {
                if (steps == null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": end without trace");
                }
                traces.add(new Trace(name, steps));
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
            steps.add(new StepRecorder.Step(Integer.parseInt(w[0]), thread, label, call ? kv.get("op") : null, obj, id,
                    num(kv.get("e")), kv.get("o"), num(kv.get("n")), res, kv.get("why")));
        }
        if (steps != null) {
            throw new IllegalArgumentException(file + ": the last trace has no end line");
        }
        return traces;
    }

    private static int num(String s) {
        return s == null || s.equals("-") ? 0 : s.equals("?") ? TraceTla.UNKNOWN_ENTRY : Integer.parseInt(s);
    }

    /** The verdict of one TLC run. */
    record Run(int exit, long distinct, int rejected, int prefix, double seconds, String output) {
    }

    private static final Map<Object, String> OBJECTS = Map.of("o1", "o1", "o2", "o2");

    /** Writes the batch as a module on KernelTrace and runs TLC: full (observations) or shape (labels). */
    static Run tlc(Path root, Path dir, String name, List<List<StepRecorder.Step>> traces, boolean shape)
            throws IOException, InterruptedException {
        TraceTla.Batch b = TraceTla.generate(name, traces, OBJECTS, "none");
        String module = b.module()
                .replace("EXTENDS ShadowTrace", shape ? "EXTENDS KernelShape" : "EXTENDS KernelTrace")
                .replace("kit/TraceTla.java from recorded runs of the Java table",
                        "kit/KernelTraceCheck.java (via TraceTla) from traces in the format of model-check/TRACE.md");
        String cfg;
        if (shape) {
            module = module.replace("BatchInit == TraceInit(TheTraces)", "BatchInit == ShapeInit(TheTraces)")
                    .replace("BatchNext == TraceNext(TheTraces)",
                            "BatchNext == ShapeNext(TheTraces)\nBatchNotAtEnd == NotAtEnd(TheTraces)");
            cfg = "\\* GENERATED by KernelTraceCheck.java: the shape check (spec/trace/KernelShape.tla).\n"
                    + "CONSTANTS\n  Nil = Nil  t1 = t1  t2 = t2  t3 = t3  o1 = o1  o2 = o2  i1 = i1  i2 = i2\n"
                    + "INIT BatchInit\nNEXT BatchNext\nINVARIANT BatchNotAtEnd\n";
        } else {
            module = module.replace("BatchNext == TraceNext(TheTraces)", "BatchNext == KernelNext(TheTraces)");
            cfg = b.config();
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".tla"), module, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".cfg"), cfg, StandardCharsets.UTF_8);
        for (Path m : List.of(root.resolve("spec/Shadow.tla"), root.resolve("spec/ShadowAtomic.tla"),
                root.resolve("spec/ShadowAux.tla"), root.resolve("spec/ShadowMutants.tla"),
                root.resolve("spec/trace/ShadowTrace.tla"), root.resolve("spec/trace/KernelTrace.tla"),
                root.resolve("spec/trace/KernelShape.tla"))) {
            Files.copy(m, dir.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = dir.resolve(name + ".out");
        List<String> args = new ArrayList<>(List.of("-config", name + ".cfg", "-cleanup"));
        if (shape) {
            args.add("-deadlock");
        }
        args.add(name);
        List<String> command = Tlc.command(List.of("-Xmx512m", "-Djava.io.tmpdir=" + tmp.toAbsolutePath()),
                dir.resolve("states-" + name), args);
        long start = System.nanoTime();
        int exit = Tlc.run(name, command, dir, out, Tlc.SMALL_MODEL_LIMIT);
        double seconds = (System.nanoTime() - start) / 1e9;
        String output = Files.readString(out, StandardCharsets.UTF_8);
        long distinct = TraceTla.lastNumber(output, "([0-9,]+) distinct states found");
        int rejected = 0;
        int prefix = -1;
        if (exit == 11) {
            rejected = (int) TraceTla.lastNumber(output, "/\\\\ tr = ([0-9]+)");
            prefix = (int) TraceTla.lastNumber(output, "/\\\\ i = ([0-9]+)") - 1;
        }
        return new Run(exit, distinct, rejected, prefix, seconds, output);
    }

    /** States of a fully matched batch: one per record and start, one per unobserved a_set. */
    static long expectedStates(List<List<StepRecorder.Step>> traces) {
        long n = 0;
        for (List<StepRecorder.Step> t : traces) {
            n += t.size() + 1;
            n += t.stream().filter(s -> s.label().equals("a_recheck") && s.entry() == 0).count();
        }
        return n;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KernelTraceCheck TRACES.txt OUTDIR");
            System.exit(2);
        }
        System.exit(run(Path.of(args[0]), Path.of(args[1])));
    }

    /**
     * Checks every trace of {@code file} (format: model-check/TRACE.md), TLC's files under
     * {@code out}; prints a line per rejected trace and a totals line. Returns 0 when every trace
     * was accepted, 1 when some was rejected, 2 for a malformed file.
     */
    public static int run(Path file, Path out) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        List<Trace> traces;
        try {
            traces = read(file);
        } catch (IllegalArgumentException e) {
            System.out.println("traces: malformed: " + e.getMessage());
            return 2;
        }
        Path outDir = out.toAbsolutePath();
        int perBatch = 250;
        int accepted = 0;
        int shape = 0;
        int property = 0;
        int unchecked = 0;
        long steps = traces.stream().mapToLong(t -> t.steps().size()).sum();
        double seconds = 0;
        for (int from = 0, b = 1; from < traces.size(); from += perBatch, b++) {
            List<Trace> batch = new ArrayList<>(traces.subList(from, Math.min(traces.size(), from + perBatch)));
            if (shape + property >= 3) {
                unchecked += batch.size();
                continue;
            }
            for (java.util.Iterator<Trace> it = batch.iterator(); it.hasNext(); ) {
                Trace t = it.next();
                try {
                    TraceTla.generate("Probe", List.of(t.steps()), OBJECTS, "none");
                } catch (RuntimeException e) {
                    System.out.println("traces: REJECTED " + t.name() + " (shape): not a trace of the model: " + e.getMessage());
                    shape++;
                    it.remove();
                }
            }
            while (!batch.isEmpty()) {
                String name = "KernelBatch_" + b;
                List<List<StepRecorder.Step>> recs = batch.stream().map(Trace::steps).toList();
                Run r;
                try {
                    r = tlc(root, outDir.resolve(name), name, recs, false);
                } catch (RuntimeException e) {
                    System.out.println("traces: cannot turn batch " + b + " into TLA+: " + e.getMessage());
                    shape += batch.size();
                    break;
                }
                seconds += r.seconds();
                long expected = expectedStates(recs);
                System.out.printf("traces: %s: %d traces, TLC exit %d, %d distinct states (expected %d), %.1f s%n",
                        name, batch.size(), r.exit(), r.distinct(), expected, r.seconds());
                if (r.exit() == 0 && r.distinct() == expected) {
                    accepted += batch.size();
                    break;
                }
                if (r.exit() != 11 || r.rejected() < 1) {
                    System.out.println("traces: " + name + ": TLC did not give a verdict (exit " + r.exit()
                            + "); output " + outDir.resolve(name).resolve(name + ".out"));
                    shape += batch.size();
                    break;
                }
                Trace bad = batch.get(r.rejected() - 1);
                String sname = "KernelShape_" + bad.name().replaceAll("[^A-Za-z0-9]", "_");
                Run s = tlc(root, outDir.resolve(sname), sname, List.of(bad.steps()), true);
                seconds += s.seconds();
                boolean followsShape = s.exit() == 12; // the invariant NotAtEnd violated: a path to the end
                if (followsShape) {
                    property++;
                } else {
                    shape++;
                }
                StepRecorder.Step at = r.prefix() < bad.steps().size() ? bad.steps().get(Math.max(0, r.prefix())) : null;
                System.out.printf("traces: REJECTED %s (%s): %s; matched %d of %d steps, no spec step matches step %s%n",
                        bad.name(), followsShape ? "property" : "shape",
                        followsShape ? "its steps follow the spec's structure, but an observation is not allowed there"
                                : "its steps leave the spec's step structure",
                        r.prefix(), bad.steps().size(), at == null ? "(end: an operation did not return)" : at.toString());
                batch.remove(r.rejected() - 1);
                if (shape + property >= 3) {
                    unchecked += batch.size();
                    break;
                }
            }
        }
        System.out.printf("traces: total=%d accepted=%d shape=%d property=%d unchecked=%d steps=%d tlc_seconds=%.0f%n",
                traces.size(), accepted, shape, property, unchecked, steps, seconds);
        return accepted == traces.size() ? 0 : 1;
    }
}
