package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import io.github.shadowvars.kit.Tlc;

/**
 * Derives the ACCEPTABLE outcomes of the jcstress harnesses (src/test/java/io/github/shadowvars/jcstress)
 * from the spec. Each harness's race is a small model: spec/MCRace.tla (the algorithm, with a
 * setup thread that fills the table first), spec/MCRaceWeak.tla (the same for the weak table,
 * with the harness's simulated collection) or spec/race/RcuRace.tla (RCU alone), with one
 * configuration model-check/race/&lt;Harness&gt;.cfg. For each, this runs TLC in its own JVM (never
 * in-process: TLC calls System.exit) with {@code -dump}, keeps the final states (every thread
 * has finished: MCRace's (and MCRaceWeak's) observer over, RcuRace's and LockRace's pc "done"), maps each to the harness's outcome id (one mapping per harness, in {@link #RACES})
 * and writes src/test/resources/jcstress-outcomes/&lt;Harness&gt;.txt: a header, then the sorted ids,
 * one per line. The files depend only on the spec and the configurations (no date, no timing), so
 * a regeneration must reproduce them byte for byte ({@code OutcomeSetsTest}).
 *
 * <p>Run: this main with the test class path (arguments: harness names, default all), or
 * {@code mvn -B -o -q test -Dtest=OutcomeSetsTest -Dshadowvars.regenerateOutcomes=true}.
 */
public final class RaceOutcomeGenerator {

    /** Where the generated outcome sets live. */
    public static final Path OUTCOMES_DIR = Path.of("src", "test", "resources", "jcstress-outcomes");

    /**
     * One harness's race model.
     *
     * @param harness the harness's simple class name (= the .cfg's and the outcome file's name)
     * @param module  the spec module, relative to the project (TLC runs in its directory)
     * @param outcome the harness's outcome id of a final state of the model
     */
    record Race(String harness, String module, Function<RaceState, String> outcome) {
        /** The model's configuration, relative to the project. */
        Path config() {
            return Path.of("model-check", "race", harness + ".cfg");
        }
    }

    /** The shadow-table races run spec/MCRace.tla (weak keys: spec/MCRaceWeak.tla); the RCU races spec/race/RcuRace.tla. */
    private static final String MC_RACE = "spec/MCRace.tla";
    private static final String RCU_RACE = "spec/race/RcuRace.tla";
    /** The table's lock alone. */
    private static final String LOCK_RACE = "spec/race/LockRace.tla";
    /** The weak table's races (ShadowWeak, with the harness's collection and ReferenceQueue). */
    private static final String MC_RACE_WEAK = "spec/MCRaceWeak.tla";

    /**
     * Every harness's race and its outcome mapping, written from the harness's Javadoc ("Result:
     * r1 = ..."). Threads: p1 = the harness's first actor, p2 its second, p3 its @State
     * constructor (setup). A thread's operations are numbered from 0 in script order.
     */
    static final List<Race> RACES = List.of(
            // r1, r2 = actor's alloc returned data; r3 = ctor calls; r4 = tag the table holds.
            new Race("AllocAlloc", MC_RACE, s -> ids(
                    s.returned("p1", 0), s.returned("p2", 0),
                    s.ctorCalls("p1") + s.ctorCalls("p2"),
                    s.tag(s.lookup("o1", "i1"), Map.of("p1", 1, "p2", 2)))),
            // r1, r2 = tag of the data each got (9 = not fully constructed); r3 = ctor calls; r4 = tag held.
            new Race("GetOrAllocGetOrAlloc", MC_RACE, s -> ids(
                    s.built("p1", 0) ? s.tag(s.value("p1", 0), Map.of("p1", 1, "p2", 2)) : 9,
                    s.built("p2", 0) ? s.tag(s.value("p2", 0), Map.of("p1", 1, "p2", 2)) : 9,
                    s.ctorCalls("p1") + s.ctorCalls("p2"),
                    s.tag(s.lookup("o1", "i1"), Map.of("p1", 1, "p2", 2)))),
            // r1 = reader's view (0 null, 1 constructed, 2 partial); r2 = alloc returned data.
            new Race("GetAlloc", MC_RACE, s -> ids(s.view("p1", 0), s.returned("p2", 0))),
            // r1 = reader (0 null, 1 the data, 2 use after reclaim, 3 other data); r2 = dtor calls; r3 = key held.
            new Race("GetFree", MC_RACE, s -> ids(
                    s.readReclaimed("p1") ? 2 : s.value("p1", 0) == null ? 0 : s.tag(s.value("p1", 0), Map.of("p3", 1), 3),
                    s.dtorCalls("p2"), s.lookup("o1", "i1") != null)),
            // r1 = alloc returned data; r2 = dtor calls; r3 = key held.
            new Race("AllocFree", MC_RACE, s -> ids(
                    s.returned("p1", 0), s.dtorCalls("p2"), s.lookup("o1", "i1") != null)),
            // r1 = tag getOrAlloc returned (1 old, 2 new); r2 = its ctor calls; r3 = dtor calls; r4 = tag held.
            new Race("GetOrAllocFree", MC_RACE, s -> ids(
                    s.tag(s.value("p1", 0), Map.of("p3", 1, "p1", 2)), s.ctorCalls("p1"), s.dtorCalls("p2"),
                    s.tag(s.lookup("o1", "i1"), Map.of("p3", 1, "p1", 2)))),
            // r1, r2 = dtor calls of actor 1's / actor 2's free; r3 = key held.
            new Race("FreeFree", MC_RACE, s -> ids(
                    s.dtorCalls("p1"), s.dtorCalls("p2"), s.lookup("o1", "i1") != null)),
            // r1 = free's dtor calls; r2 = freeAll's; r3 = id entries left; r4 = other-id entry held.
            new Race("FreeFreeAll", MC_RACE, s -> ids(
                    s.dtorCalls("p1"), s.dtorCalls("p2"),
                    (s.lookup("o1", "i1") != null ? 1 : 0) + (s.lookup("o2", "i1") != null ? 1 : 0),
                    s.lookup("o1", "i2") != null)),
            // r1 = alloc returned data; r2 = dtor calls; r3 = <o2, id> held; r4 = <o1, id> held.
            new Race("FreeAllAlloc", MC_RACE, s -> ids(
                    s.returned("p2", 0), s.dtorCalls("p1"), s.lookup("o2", "i1") != null, s.lookup("o1", "i1") != null)),
            // r1 = actor 1 found A; r2 = its alloc of C returned data; r3 = actor 2 found A;
            // r4 = keys held (A = 1, B = 2, C = 4); r5 = B's dtor calls.
            new Race("SameBucketAllocFree", MC_RACE, s -> ids(
                    s.found("p1", 0), s.returned("p1", 1), s.found("p2", 1),
                    (s.lookup("o1", "i1") != null ? 1 : 0) + (s.lookup("o2", "i1") != null ? 2 : 0)
                            + (s.lookup("o3", "i1") != null ? 4 : 0),
                    s.dtorCalls("p2"))),
            // r1 = reader saw the node; r2 = saw it reclaimed; r3 = writer saw done.
            new Race("RcuGracePeriod", RCU_RACE, s -> ids(s.r(1), s.r(2), s.r(3))),
            // as RcuGracePeriod (one domain shared by the harness's states; the spec does not see it).
            new Race("RcuEntryFence", RCU_RACE, s -> ids(s.r(1), s.r(2), s.r(3))),
            // r1, r2 as above; r3 = callbacks run by processCallbacks; r4 = reclaimed after barrier.
            new Race("RcuCallback", RCU_RACE, s -> ids(s.r(1), s.r(2), s.r(3), s.r(4))),
            // r1 = reader got the data; r2 = ctor's inner object (0 null, 1 complete, 2 partial);
            // r3 = the parent's mark (0 null or not constructed).
            new Race("CtorPublication", MC_RACE, s -> ids(
                    s.returned("p1", 0), s.view("p1", 0), s.returned("p1", 0) && s.built("p1", 0))),
            // r1, r2 = the counter each locker read inside the lock; r3 = the counter at the end.
            new Race("TableLockMutex", LOCK_RACE, s -> ids(s.r(1), s.r(2), s.r(3))),
            // Weak keys (o1 dies). r1 = reader (0 null, 1 live's data, 2 use after reclaim, 3 other data);
            // r2 = expunge()'s count; r3 = variables left (stats().live()).
            new Race("GetExpunge", MC_RACE_WEAK, s -> ids(
                    s.readReclaimed("p1") ? 2 : s.value("p1", 0) == null ? 0 : "o2".equals(s.objOf(s.value("p1", 0))) ? 1 : 3,
                    s.expungedBy("p2"), s.linked())),
            // r1 as GetExpunge's; r2 = expunge()'s count; r3 = keys found (front o3 = 1, live o2 = 2); r4 = variables left.
            new Race("GetCollectExpunge", MC_RACE_WEAK, s -> ids(
                    s.readReclaimed("p1") ? 2 : s.value("p1", 0) == null ? 0 : "o2".equals(s.objOf(s.value("p1", 0))) ? 1 : 3,
                    s.expungedBy("p2"),
                    (s.lookup("o3", "i1") != null ? 1 : 0) + (s.lookup("o2", "i1") != null ? 2 : 0),
                    s.linked())),
            // r1 = dtor calls on live o2's entry; r2 = on others' (dead o1's); r3 = expunge()'s count; r4 = variables left.
            new Race("FreeAllExpunge", MC_RACE_WEAK, s -> ids(
                    s.dtorCallsOn("o2"), s.dtorCallsOn("o1"), s.expungedBy("p2"), s.linked())));

    private RaceOutcomeGenerator() {
    }

    /** The race of a harness. */
    static Race race(String harness) {
        return RACES.stream().filter(r -> r.harness().equals(harness)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no race model for harness " + harness));
    }

    /** The harness names, in {@link #RACES} order. */
    public static List<String> harnesses() {
        return RACES.stream().map(Race::harness).toList();
    }

    public static void main(String[] args) throws Exception {
        List<String> names = args.length > 0 ? List.of(args) : harnesses();
        Path work = Files.createTempDirectory("raceoutcomes");
        Files.createDirectories(OUTCOMES_DIR);
        for (String name : names) {
            long start = System.nanoTime();
            String text = generate(Path.of(""), work, name);
            Path out = OUTCOMES_DIR.resolve(name + ".txt");
            Files.writeString(out, text);
            System.out.printf("%s: %s in %d ms%n", out, parse(text), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The outcome file text of a harness, generated from the spec in projectDir; TLC's files go to workDir. */
    public static String generate(Path projectDir, Path workDir, String harness) throws IOException, InterruptedException {
        Race race = race(harness);
        return render(race, outcomes(projectDir, workDir, race));
    }

    /** The outcome ids of the race's final states. */
    static SortedSet<String> outcomes(Path projectDir, Path workDir, Race race) throws IOException, InterruptedException {
        return outcomes(projectDir, workDir, race, projectDir.toAbsolutePath().resolve(race.config()), race.harness());
    }

    /**
     * The outcome ids of the race's final states with a seeded bug of the spec (a mutant of
     * spec/ShadowMutants.tla, e.g. "NoRecheck"): the model's configuration with MCRace's step
     * overridden by the mutant's ({@code RaceStep <- StepNoRecheck}) and without its invariants
     * and properties (which the bug would violate, stopping TLC before it has enumerated the
     * final states). For the tests that show the race models can tell a broken algorithm from
     * the real one (MCRace races only: RcuRace has no RaceStep). For a race of the weak table
     * (spec/MCRaceWeak.tla, SPECIFICATION WRaceSpec) bug names a mutant of
     * spec/ShadowWeakMutants.tla (e.g. "FreeAllDtorOnDead"): {@code WRaceOp <- WRaceOpFreeAllDtorOnDead}.
     */
    public static SortedSet<String> outcomesWithBug(Path projectDir, Path workDir, String harness, String bug)
            throws IOException, InterruptedException {
        Race race = race(harness);
        List<String> lines = new ArrayList<>();
        boolean seeded = false;
        for (String line : Files.readAllLines(projectDir.toAbsolutePath().resolve(race.config()))) {
            if (line.strip().equals("SPECIFICATION RaceSpec")) {
                lines.add("CONSTANT RaceStep <- Step" + bug);
                lines.add(line);
                seeded = true;
            } else if (line.strip().equals("SPECIFICATION WRaceSpec")) {
                lines.add("CONSTANT WRaceOp <- WRaceOp" + bug);
                lines.add(line);
                seeded = true;
            } else if (!line.startsWith("INVARIANTS") && !line.startsWith("PROPERTIES")) {
                lines.add(line);
            }
        }
        if (!seeded) {
            throw new IllegalArgumentException(race.config() + " is not an MCRace or MCRaceWeak model (SPECIFICATION RaceSpec or WRaceSpec)");
        }
        String name = harness + "-" + bug;
        Path cfg = workDir.toAbsolutePath().resolve(name + ".cfg");
        Files.write(cfg, lines);
        return outcomes(projectDir, workDir, race, cfg, name);
    }

    /** The outcome ids of the final states TLC reaches with the given configuration; name names TLC's files. */
    private static SortedSet<String> outcomes(Path projectDir, Path workDir, Race race, Path cfg, String name)
            throws IOException, InterruptedException {
        Path dump = runTlc(projectDir, workDir, race.module(), cfg, name);
        SortedSet<String> ids = new TreeSet<>();
        int finals = 0;
        for (Map<String, Object> vars : states(Files.readString(dump))) {
            RaceState s = new RaceState(vars);
            if (s.over()) {
                finals++;
                ids.add(race.outcome().apply(s));
            }
        }
        if (finals == 0) {
            throw new IllegalStateException(cfg + ": TLC reached no final state");
        }
        return ids;
    }

    /** The outcome file: a header naming its source, then the ids, one per line. */
    static String render(Race race, SortedSet<String> ids) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ACCEPTABLE outcomes of io.github.shadowvars.jcstress.").append(race.harness()).append(": the final states TLC\n");
        sb.append("# reaches in ").append(race.module()).append(" with ").append(race.config().toString().replace('\\', '/'))
                .append(".\n");
        sb.append("# GENERATED by io.github.shadowvars.kit.RaceOutcomeGenerator: do not edit; regenerate:\n");
        sb.append("# mvn -B -o -q test -Dtest=OutcomeSetsTest -Dshadowvars.regenerateOutcomes=true\n");
        for (String id : ids) {
            sb.append(id).append('\n');
        }
        return sb.toString();
    }

    /** The outcome ids of an outcome file's text (its lines that are not comments or blank). */
    public static SortedSet<String> parse(String text) {
        SortedSet<String> ids = new TreeSet<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                ids.add(l);
            }
        }
        return ids;
    }

    /** An outcome id in jcstress's format ("1, 0, 1"); booleans are 1 / 0. */
    static String ids(Object... fields) {
        List<String> parts = new ArrayList<>();
        for (Object f : fields) {
            parts.add(f instanceof Boolean b ? (b ? "1" : "0") : f.toString());
        }
        return String.join(", ", parts);
    }

    /** Every state of a TLC -dump file: variable name -> parsed value. */
    static List<Map<String, Object>> states(String dump) {
        List<Map<String, Object>> states = new ArrayList<>();
        for (String chunk : dump.split("(?m)^State \\d+:\n")) {
            if (chunk.isBlank()) {
                continue;
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            for (String conjunct : chunk.split("(?m)^/\\\\ ")) {
                if (conjunct.isBlank()) {
                    continue;
                }
                int eq = conjunct.indexOf(" = ");
                vars.put(conjunct.substring(0, eq).strip(), TlcValues.parse(conjunct.substring(eq + 3)));
            }
            states.add(vars);
        }
        return states;
    }

    /**
     * Runs TLC on the race's module and configuration with -dump in a new JVM, in the module's
     * directory (TLC finds EXTENDS modules there); fails unless TLC exits with 0 (an invariant
     * violation or deadlock of a race model is an error here). Returns the dump file.
     */
    private static Path runTlc(Path projectDir, Path workDir, String moduleFile, Path cfg, String name)
            throws IOException, InterruptedException {
        Path module = projectDir.toAbsolutePath().resolve(moduleFile);
        Path dump = workDir.toAbsolutePath().resolve(name);
        Tlc.runOk(cfg.toString(), Tlc.command(List.of("-XX:TieredStopAtLevel=1"), workDir.resolve("meta-" + name),
                List.of("-config", cfg.toString(), "-dump", dump.toString(), module.getFileName().toString())),
                module.getParent(), workDir.toAbsolutePath().resolve(name + ".log"), Tlc.SMALL_MODEL_LIMIT);
        return workDir.toAbsolutePath().resolve(name + ".dump");
    }

    /**
     * One dumped state of a race model, with what the outcome mappings ask of it. For MCRace:
     * results, dtorBy, readReclaimed (the observers) and the table (head, next, eobj, eid); for
     * RcuRace: r. Threads, objects, ids and entries are named as in the model ("p1", "o1", "i1",
     * "e1"); an entry is its name, null for Nil.
     */
    static final class RaceState {
        private final Map<String, Object> vars;

        RaceState(Map<String, Object> vars) {
            this.vars = vars;
        }

        /**
         * Every thread has finished: MCRace's observer over (every thread has returned from its
         * last operation); RcuRace, LockRace: pc is "done" everywhere.
         */
        boolean over() {
            Object over = vars.get("over");
            return over != null ? "TRUE".equals(name(over))
                    : ((Map<?, ?>) vars.get("pc")).values().stream().allMatch("done"::equals);
        }

        /** A model value's name, null for Nil. */
        private static String name(Object v) {
            String n = ((TlcValues.Name) v).name();
            return n.equals("Nil") ? null : n;
        }

        /** Thread p's i-th completed operation: [res |-> result, built |-> BOOLEAN]. */
        private Map<?, ?> result(String p, int i) {
            List<?> rs = (List<?>) fn("results").get(new TlcValues.Name(p));
            if (i >= rs.size()) {
                throw new IllegalStateException(p + " has " + rs.size() + " results, not " + (i + 1));
            }
            return (Map<?, ?>) rs.get(i);
        }

        /** The entry thread p's i-th operation returned, null for NULL. */
        String value(String p, int i) {
            return name(((Map<?, ?>) result(p, i).get("res")).get("val"));
        }

        /** Thread p's i-th operation returned data (not NULL). */
        boolean returned(String p, int i) {
            return value(p, i) != null;
        }

        /** Same as {@link #returned} (a get that found its key). */
        boolean found(String p, int i) {
            return returned(p, i);
        }

        /** Thread p's i-th operation returned NULL or data constructed at its return. */
        boolean built(String p, int i) {
            return name(result(p, i).get("built")).equals("TRUE");
        }

        /** A reader's view of what thread p's i-th operation returned: 0 NULL, 1 constructed, 2 partial. */
        int view(String p, int i) {
            return !returned(p, i) ? 0 : built(p, i) ? 1 : 2;
        }

        /** Constructor calls in thread p's operations. */
        int ctorCalls(String p) {
            int n = 0;
            for (Object r : (List<?>) fn("results").get(new TlcValues.Name(p))) {
                n += ((Long) ((Map<?, ?>) ((Map<?, ?>) r).get("res")).get("ctors")).intValue();
            }
            return n;
        }

        /** Destructor calls made by thread p. */
        int dtorCalls(String p) {
            return ((Long) fn("dtorBy").get(new TlcValues.Name(p))).intValue();
        }

        /** Thread p read an entry after its reclaim. */
        boolean readReclaimed(String p) {
            return name(fn("readReclaimed").get(new TlcValues.Name(p))).equals("TRUE");
        }

        /** The thread whose alloc/getOrAlloc created (published) entry e, or null. */
        String creator(String e) {
            for (Map.Entry<?, ?> t : fn("results").entrySet()) {
                for (Object r : (List<?>) t.getValue()) {
                    Map<?, ?> res = (Map<?, ?>) ((Map<?, ?>) r).get("res");
                    if ("new".equals(res.get("why")) && e.equals(name(res.get("val")))) {
                        return t.getKey().toString();
                    }
                }
            }
            return null;
        }

        /** The harness's tag of entry e: tags[its creator]; 0 for null; fails for another creator. */
        int tag(String e, Map<String, Integer> tags) {
            return tag(e, tags, -1);
        }

        /** As {@link #tag(String, Map)}, with otherwise for an entry of another creator (-1: fail). */
        int tag(String e, Map<String, Integer> tags, int otherwise) {
            if (e == null) {
                return 0;
            }
            Integer t = tags.get(creator(e));
            if (t == null && otherwise < 0) {
                throw new IllegalStateException("entry " + e + " created by " + creator(e) + ": no tag in " + tags);
            }
            return t == null ? otherwise : t;
        }

        /**
         * The entry a get of (obj, id) finds at the end: the first with that key in a walk of the
         * bucket chains (the models check UniqueKey, so which bucket is walked first does not matter).
         */
        String lookup(String obj, String id) {
            Map<?, ?> next = fn("next");
            Map<?, ?> eobj = fn("eobj");
            Map<?, ?> eid = fn("eid");
            for (Object h : fn("head").values()) {
                for (String e = name(h); e != null; e = name(next.get(new TlcValues.Name(e)))) {
                    TlcValues.Name key = new TlcValues.Name(e);
                    if (obj.equals(name(eobj.get(key))) && id.equals(name(eid.get(key)))) {
                        return e;
                    }
                }
            }
            return null;
        }

        /** The object of entry e (kept after its reclaim). */
        String objOf(String e) {
            return name(fn("eobj").get(new TlcValues.Name(e)));
        }

        /** Destructor calls on the entries of object obj (ShadowAux's dtorCount). */
        int dtorCallsOn(String obj) {
            int n = 0;
            for (Map.Entry<?, ?> c : fn("dtorCount").entrySet()) {
                if (obj.equals(objOf(c.getKey().toString()))) {
                    n += ((Long) c.getValue()).intValue();
                }
            }
            return n;
        }

        /** MCRaceWeak: the entries thread p's expunge() calls unlinked (what they returned). */
        int expungedBy(String p) {
            return ((Long) fn("xdelBy").get(new TlcValues.Name(p))).intValue();
        }

        /** The variables in the table (stats().live()): the entries published and not unlinked, stale ones too. */
        int linked() {
            return (int) fn("estate").values().stream().filter("published"::equals).count();
        }

        /** RcuRace, LockRace: the result field ri. */
        int r(int i) {
            return ((Long) ((List<?>) vars.get("r")).get(i - 1)).intValue();
        }

        /** A function-valued variable (a TLA+ function or record). */
        private Map<?, ?> fn(String var) {
            Object v = vars.get(var);
            if (v == null) {
                throw new IllegalStateException("no variable " + var + " in the dumped state");
            }
            return (Map<?, ?>) v;
        }
    }
}
