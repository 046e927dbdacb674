package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks concurrent histories recorded in a running kernel (kernel-check/vm/stress) for
 * linearizability against spec/ShadowAtomic.tla with TLC, through spec/trace/KernelHistory.tla.
 *
 * <p>Usage: {@code java -cp <test class path> io.github.shadowvars.kit.KernelHistoryCheck HISTORIES.txt OUTDIR}
 * (from the repository root). Prints a line per rejected history and a last line
 * {@code histories: total=N operations=M accepted=A rejected=R overlapping=O tlc_seconds=T};
 * exit status 0 when every history was accepted, 1 when one was rejected, 2 on a malformed file.
 *
 * <p>The format, as shadowvars_stress.c writes it (one round = one history):
 * <pre>
 * round N threads T ops O cpus C seed S
 * op THREAD INDEX OPNAME [obj=1..3] id=1..2 inj=0|1 ctors=C [ctor=SERIAL ctorfail=0|1] ret=SERIAL|0 dtor=-|S1,S2 t0=NS t1=NS
 * end N
 * </pre>
 * OPNAME is get, alloc, getOrAlloc, free or freeAll (freeAll has no obj); ret is the serial the
 * constructor wrote into the returned data, 0 for NULL; inj=1: an injected allocation failure
 * happened in the call; t0 and t1: one global clock before the call and after its return.
 *
 * <p>A history is accepted when TLC finds an order of ShadowAtomic's steps, each inside its
 * operation's interval, that reproduces every observation; rejected histories are named with the
 * first operation no order explains. A history is "overlapping" when two operations of different
 * threads on one key (freeAll: any key of its id) have overlapping intervals: a history without
 * overlap is sequential and tests nothing concurrent.
 */
public final class KernelHistoryCheck {

    private KernelHistoryCheck() {
    }

    /** The key sets of the stress module: objects 1..3, ids 1..2, threads 0..MAX_THREADS. */
    static final int OBJS = 3;
    static final int IDS = 2;
    static final int MAX_THREADS = 8;

    /** One recorded call. */
    record Call(int thread, int index, String op, int obj, int id, boolean inj, int ctors, long ctorSerial,
            boolean ctorFail, long ret, List<Long> dtors, boolean overflow, long t0, long t1) {

        String describe() {
            return String.format("thread %d call %d: %s(%sid=%d) = %s%s%s%s [%d, %d]", thread, index + 1, op,
                    op.equals("freeAll") ? "" : "obj=" + obj + ", ", id, ret == 0 ? "NULL" : "data #" + ret,
                    ctors > 0 ? ", ctor built #" + ctorSerial + (ctorFail ? " and failed" : "") : "",
                    inj ? ", allocation failure injected" : "",
                    dtors.isEmpty() ? "" : ", dtor on " + dtors.stream().map(d -> "#" + d).collect(Collectors.joining(",")),
                    t0, t1);
        }

        boolean sameKey(Call o) {
            if (id != o.id) {
                return false;
            }
            return op.equals("freeAll") || o.op.equals("freeAll") || obj == o.obj;
        }
    }

    /** One history: a round of the stress module. */
    record History(String name, List<Call> calls) {
    }

    private static final Pattern KV = Pattern.compile("([a-z0-9]+)=(\\S+)");

    /** Reads the format of the class comment. */
    static List<History> read(List<String> lines) {
        List<History> out = new ArrayList<>();
        String name = null;
        List<Call> calls = null;
        int no = 0;
        for (String line : lines) {
            no++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] w = l.split("\\s+");
            switch (w[0]) {
                case "round" -> {
                    name = "round " + w[1];
                    calls = new ArrayList<>();
                }
                case "end" -> {
                    if (calls == null) {
                        throw new IllegalArgumentException("line " + no + ": end without round");
                    }
                    out.add(new History(name, calls));
                    calls = null;
                }
                case "op" -> {
                    if (calls == null || w.length < 5) {
                        throw new IllegalArgumentException("line " + no + ": an op outside a round, or short: " + l);
                    }
                    Map<String, String> kv = new HashMap<>();
                    Matcher m = KV.matcher(l);
                    while (m.find()) {
                        kv.put(m.group(1), m.group(2));
                    }
                    String op = w[3];
                    if (!Set.of("get", "alloc", "getOrAlloc", "free", "freeAll").contains(op)) {
                        throw new IllegalArgumentException("line " + no + ": unknown operation " + op);
                    }
                    List<Long> dtors = new ArrayList<>();
                    boolean overflow = false;
                    String d = kv.getOrDefault("dtor", "-");
                    if (!d.equals("-")) {
                        for (String s : d.split(",")) {
                            if (s.equals("overflow")) {
                                overflow = true;
                            } else {
                                dtors.add(Long.parseLong(s));
                            }
                        }
                    }
                    int thread = Integer.parseInt(w[1]);
                    int obj = op.equals("freeAll") ? 0 : Integer.parseInt(req(kv, "obj", no));
                    int id = Integer.parseInt(req(kv, "id", no));
                    if (thread < 0 || thread > MAX_THREADS || (!op.equals("freeAll") && (obj < 1 || obj > OBJS))
                            || id < 1 || id > IDS) {
                        throw new IllegalArgumentException("line " + no + ": thread, obj or id out of range: " + l);
                    }
                    calls.add(new Call(thread, Integer.parseInt(w[2]), op, obj, id, req(kv, "inj", no).equals("1"),
                            Integer.parseInt(req(kv, "ctors", no)), Long.parseLong(kv.getOrDefault("ctor", "0")),
                            kv.getOrDefault("ctorfail", "0").equals("1"), Long.parseLong(req(kv, "ret", no)), dtors,
                            overflow, Long.parseLong(req(kv, "t0", no)), Long.parseLong(req(kv, "t1", no))));
                }
                default -> throw new IllegalArgumentException("line " + no + ": unexpected: " + l);
            }
        }
        if (calls != null) {
            throw new IllegalArgumentException("the last round has no end line");
        }
        return out;
    }

    private static String req(Map<String, String> kv, String key, int no) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("line " + no + ": no " + key + "=");
        }
        return v;
    }

    /** A call or return event of the history, in the order TLC must follow. */
    record Event(boolean call, Call c, long time, int rank) {
    }

    /**
     * The events in timestamp order: a call at t0, a return at t1. At equal times calls come
     * first (the operations then overlap: TLC may order them either way), except the call that
     * follows its own thread's return at that very time.
     */
    static List<Event> events(History h) {
        List<Event> ev = new ArrayList<>();
        Map<Integer, Long> lastReturn = new HashMap<>();
        List<Call> byThread = new ArrayList<>(h.calls());
        byThread.sort(Comparator.comparingInt(Call::thread).thenComparingInt(Call::index));
        for (Call c : byThread) {
            Long last = lastReturn.get(c.thread());
            ev.add(new Event(true, c, c.t0(), last != null && last == c.t0() ? 2 : 0));
            ev.add(new Event(false, c, c.t1(), 1));
            lastReturn.put(c.thread(), c.t1());
        }
        ev.sort(Comparator.comparingLong(Event::time).thenComparingInt(Event::rank)
                .thenComparingInt(e -> e.c().thread()));
        return ev;
    }

    /** The reason a history is malformed as an observation (checked before TLC), or null. */
    static String malformed(History h) {
        Map<Integer, Long> end = new HashMap<>();
        Set<Long> destroyed = new HashSet<>();
        List<Call> byThread = new ArrayList<>(h.calls());
        byThread.sort(Comparator.comparingInt(Call::thread).thenComparingInt(Call::index));
        for (Call c : byThread) {
            if (c.t1() < c.t0()) {
                return c.describe() + ": returned before it was called";
            }
            Long e = end.get(c.thread());
            if (e != null && c.t0() < e) {
                return c.describe() + ": called before the thread's previous call returned";
            }
            end.put(c.thread(), c.t1());
            if (c.overflow()) {
                return c.describe() + ": more destructor calls than objects";
            }
            for (Long d : c.dtors()) {
                if (!destroyed.add(d)) {
                    return c.describe() + ": a destructor ran twice on data #" + d;
                }
            }
        }
        return null;
    }

    /** Two operations of different threads on one key with overlapping intervals. */
    static boolean overlapping(History h) {
        List<Call> cs = h.calls();
        for (int i = 0; i < cs.size(); i++) {
            for (int j = i + 1; j < cs.size(); j++) {
                Call a = cs.get(i);
                Call b = cs.get(j);
                if (a.thread() != b.thread() && a.sameKey(b) && a.t0() <= b.t1() && b.t0() <= a.t1()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String tla(Event e) {
        Call c = e.c();
        long ins = c.ctors() == 1 && !c.ctorFail() ? c.ctorSerial() : 0;
        return "[kind |-> \"" + (e.call() ? "call" : "ret") + "\", p |-> " + c.thread()
                + ", o |-> [op |-> \"" + c.op() + "\", obj |-> " + c.obj() + ", id |-> " + c.id() + "]"
                + ", ins |-> " + ins
                + ", dtors |-> {" + new TreeSet<>(c.dtors()).stream().map(String::valueOf).collect(Collectors.joining(", ")) + "}"
                + ", val |-> " + c.ret() + ", ctors |-> " + c.ctors()
                + ", inj |-> " + (c.inj() ? "TRUE" : "FALSE") + ", ctorfail |-> " + (c.ctorFail() ? "TRUE" : "FALSE") + "]";
    }

    /** The generated module and model of a batch. */
    record Batch(String module, String config) {
    }

    static Batch generate(String name, List<History> histories) {
        StringBuilder t = new StringBuilder();
        t.append("---- MODULE ").append(name).append(" ----\n");
        t.append("\\* GENERATED by kit/KernelHistoryCheck.java from histories recorded by kernel-check/vm/stress.\n");
        t.append("EXTENDS KernelHistory\n\n");
        long maxSerial = 1;
        List<String> hs = new ArrayList<>();
        for (History h : histories) {
            List<String> es = new ArrayList<>();
            for (Event e : events(h)) {
                es.add("  " + tla(e));
                maxSerial = Math.max(maxSerial, Math.max(e.c().ret(), e.c().ctorSerial()));
                for (long d : e.c().dtors()) {
                    maxSerial = Math.max(maxSerial, d);
                }
            }
            hs.add("\\* " + h.name() + "\n<<\n" + String.join(",\n", es) + "\n>>");
        }
        t.append("TheHistories ==\n<<\n").append(String.join(",\n", hs)).append("\n>>\n\n");
        t.append("BatchData == 1..").append(maxSerial).append("\n");
        // ShadowAtomic's symmetry set and result type enumerate Data (every serial of the batch):
        // TLC would compute them at start-up (Permutations(Data)!); they are not used here
        t.append("NoSymmetry == {}\nNoResults == {}\n");
        t.append("ASSUME \\A i \\in 1..Len(TheHistories) : TLCSet(i, 1)\n");
        t.append("BatchInit == HInit(TheHistories)\n");
        t.append("BatchNext == HNext(TheHistories)\n");
        t.append("====\n");
        String procs = java.util.stream.IntStream.rangeClosed(0, MAX_THREADS).mapToObj(String::valueOf)
                .collect(Collectors.joining(", "));
        String cfg = "\\* GENERATED by KernelHistoryCheck.java: the model the histories of " + name + " are checked in.\n"
                + "CONSTANTS\n  Nil = 0\n  Procs = {" + procs + "}\n  Objs = {1, 2, 3}\n  Ids = {1, 2}\n"
                + "  Data <- BatchData\n  ASym <- NoSymmetry\n  Results <- NoResults\n  CtorGiven = TRUE\n  DtorGiven = TRUE\n  AllocFail = TRUE\n  CtorFail = TRUE\n"
                + "INIT BatchInit\nNEXT BatchNext\n";
        return new Batch(t.toString(), cfg);
    }

    /** The verdict on one history. */
    record Verdict(History history, boolean accepted, String reason) {
    }

    private static final Pattern REACHED = Pattern.compile("<<\"reached\", ([0-9]+), ([0-9]+)>>");

    /** Checks a batch with TLC: one verdict per history, in order. */
    static List<Verdict> tlc(Path root, Path dir, String name, List<History> histories)
            throws IOException, InterruptedException {
        Batch b = generate(name, histories);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".tla"), b.module(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(name + ".cfg"), b.config(), StandardCharsets.UTF_8);
        for (Path m : List.of(root.resolve("spec/ShadowAtomic.tla"), root.resolve("spec/ShadowOps.tla"),
                root.resolve("spec/trace/KernelHistory.tla"))) {
            Files.copy(m, dir.resolve(m.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path out = dir.resolve(name + ".out");
        List<String> command = Tlc.command(List.of("-Xmx768m", "-Djava.io.tmpdir=" + tmp.toAbsolutePath()),
                dir.resolve("states"), List.of("-config", name + ".cfg", "-cleanup", "-deadlock", name));
        int exit = Tlc.run(name, command, dir, out, Tlc.SMALL_MODEL_LIMIT);
        String output = Files.readString(out, StandardCharsets.UTF_8);
        if (exit != 0) {
            throw new IllegalStateException("TLC exited with " + exit + " on " + name + " (no verdict); output " + out);
        }
        Map<Integer, Integer> reached = new HashMap<>();
        Matcher m = REACHED.matcher(output);
        while (m.find()) {
            reached.merge(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Math::max);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            History h = histories.get(i);
            List<Event> ev = events(h);
            int k = reached.getOrDefault(i + 1, 1);
            if (k > ev.size()) {
                verdicts.add(new Verdict(h, true, null));
            } else {
                Event e = ev.get(k - 1);
                verdicts.add(new Verdict(h, false, "no order explains the " + (e.call() ? "call" : "return") + " of "
                        + e.c().describe() + " (event " + k + " of " + ev.size() + ")"));
            }
        }
        return verdicts;
    }

    /** The totals of a check. */
    record Totals(int histories, int operations, int accepted, int rejected, int overlapping, double seconds,
            List<Verdict> rejectedOnes) {
    }

    /** Checks all histories (batches of {@code perBatch}), TLC's files under {@code out}. */
    static Totals check(Path root, List<History> histories, Path out, int perBatch)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        List<Verdict> rejected = new ArrayList<>();
        List<History> toTlc = new ArrayList<>();
        for (History h : histories) {
            String why = malformed(h);
            if (why != null) {
                rejected.add(new Verdict(h, false, why));
            } else {
                toTlc.add(h);
            }
        }
        int accepted = 0;
        for (int from = 0, b = 1; from < toTlc.size(); from += perBatch, b++) {
            String name = "HistoryBatch_" + b;
            for (Verdict v : tlc(root, out.resolve(name), name, toTlc.subList(from, Math.min(toTlc.size(), from + perBatch)))) {
                if (v.accepted()) {
                    accepted++;
                } else {
                    rejected.add(v);
                }
            }
        }
        int ops = histories.stream().mapToInt(h -> h.calls().size()).sum();
        int overlapping = (int) histories.stream().filter(KernelHistoryCheck::overlapping).count();
        return new Totals(histories.size(), ops, accepted, rejected.size(), overlapping,
                (System.nanoTime() - start) / 1e9, rejected);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KernelHistoryCheck HISTORIES.txt OUTDIR");
            System.exit(2);
        }
        List<History> histories;
        try {
            histories = read(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            System.out.println("histories: malformed: " + e.getMessage());
            System.exit(2);
            return;
        }
        Totals t = check(Path.of("").toAbsolutePath(), histories, Path.of(args[1]).toAbsolutePath(), 100);
        for (Verdict v : t.rejectedOnes()) {
            System.out.println("histories: REJECTED " + v.history().name() + ": " + v.reason());
        }
        System.out.printf("histories: total=%d operations=%d accepted=%d rejected=%d overlapping=%d tlc_seconds=%.0f%n",
                t.histories(), t.operations(), t.accepted(), t.rejected(), t.overlapping(), t.seconds());
        System.exit(t.rejected() == 0 ? 0 : 1);
    }
}
