package io.github.shadowvars.model;

import io.github.shadowvars.Stats;
import io.github.shadowvars.kit.Op;
import io.github.shadowvars.kit.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.github.shadowvars.Constructor;
import io.github.shadowvars.Destructor;
import io.github.shadowvars.ShadowVariables;

/**
 * One sequential run against a table under test: performs operations with their injected faults,
 * observes each one's {@link Outcome} (result, constructor and destructor calls), and checks it
 * against the {@link SequentialModel} ({@link #check}) or against an expected outcome read from
 * the conformance corpus ({@link #expect}). {@link #finish} ends the run with an RCU barrier and
 * checks that everything freed was reclaimed and nothing freed is still reachable.
 *
 * <p>Objects are named o1, o2, ... and created fresh per run (so their identity hashes, hence
 * buckets, differ from run to run); ids are named i1, i2, ... = 1, 2, ... Data objects are
 * {@link Data} instances created by the allocate supplier; a data object gets its token (d1,
 * d2, ...) when an alloc or getOrAlloc returns it for the first time, so tokens count successful
 * creations, as in the model and the corpus.
 */
final class SequentialRun {

    /** The ctor's error code when the op says ctorfail (C's -ENOMEM). */
    static final int CTOR_ERROR = -12;

    /** A data object made by the allocate supplier; the ctor records which obj it initialised it for. */
    static final class Data {
        final int serial;
        Object constructedFor;

        Data(int serial) {
            this.serial = serial;
        }

        @Override
        public String toString() {
            return "data#" + serial;
        }
    }

    /** A parent object: identity is all that matters; the name is for messages. */
    private static final class Obj {
        final String name;

        Obj(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final TableUnderTest table;
    private final SequentialModel model = new SequentialModel();
    /** What the table must hold after the expected outcomes so far: "obj id" -> data token. */
    private final Map<String, String> contents = new HashMap<>();
    private final Map<String, Obj> objects = new LinkedHashMap<>();
    private final TreeSet<Long> ids = new TreeSet<>();
    private final Map<Object, String> tokens = new IdentityHashMap<>();
    private final List<String> history = new ArrayList<>();
    private int serials;

    // The current operation's faults and observations.
    private boolean failAlloc;
    private boolean failCtor;
    private int faultAsks;
    private Data allocated;
    private final List<String> ctorCalls = new ArrayList<>();
    private final List<String> dtorCalls = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();

    private final Supplier<Object> allocate = () -> {
        if (allocated != null) {
            throw new AssertionError("second allocation in one operation");
        }
        allocated = new Data(++serials);
        return allocated;
    };

    private final Constructor<Object> ctor = (obj, data) -> {
        // "!" marks a call on data this operation did not allocate (a ctor on existing data).
        ctorCalls.add(obj + (data == allocated ? "" : "!"));
        if (data instanceof Data d) {
            d.constructedFor = obj;
        }
        return failCtor ? CTOR_ERROR : 0;
    };

    private final Destructor<Object> dtor = (obj, data) -> dtorCalls.add(obj + "=" + tokenOf(data));

    SequentialRun(TableUnderTest.Factory factory, int bucketBits) {
        this.table = factory.create(bucketBits, (obj, id) -> {
            faultAsks++;
            return failAlloc;
        }, logged::add);
    }

    private Obj object(String name) {
        return objects.computeIfAbsent(name, Obj::new);
    }

    private String tokenOf(Object data) {
        String t = tokens.get(data);
        return t != null ? t : "?" + data;
    }

    /** Steps performed so far. */
    int steps() {
        return history.size();
    }

    /**
     * Performs op on the table and returns what was observed.
     *
     * @throws AssertionError if the table returned something that is not a data object of this
     *                        run (poison, for example) or allocated more than once
     */
    Outcome perform(Op op) {
        history.add(op.toString());
        failAlloc = op.allocFails();
        failCtor = op.ctorFails();
        faultAsks = 0;
        allocated = null;
        ctorCalls.clear();
        dtorCalls.clear();
        logged.clear();
        ids.add(op.id());
        Obj obj = op.obj() == null ? null : object(op.obj());
        Object r = switch (op.kind()) {
            case GET -> table.get(obj, op.id());
            case ALLOC -> table.alloc(obj, op.id(), allocate, ctor);
            case GET_OR_ALLOC -> table.getOrAlloc(obj, op.id(), allocate, ctor);
            case FREE -> {
                table.free(obj, op.id(), dtor);
                yield null;
            }
            case FREE_ALL -> {
                table.freeAll(op.id(), dtor);
                yield null;
            }
        };
        if (r != null && !(r instanceof Data)) {
            throw new AssertionError(where() + "returned " + r + ", not a data object of this run (poisoned?)");
        }
        if (faultAsks > 1) {
            throw new AssertionError(where() + "allocation attempted " + faultAsks + " times");
        }
        String why;
        String result = "-";
        if (!op.kind().allocates()) {
            why = op.kind() == Op.Kind.GET ? "value" : "done";
            if (r != null) {
                result = tokenOf(r);
            }
        } else if (r == null) {
            // Null: the ctor ran (ctorFail), the allocation was attempted and failed (allocFail),
            // or nothing was attempted because the key exists (dup).
            why = !ctorCalls.isEmpty() ? "ctorFail" : faultAsks > 0 ? "allocFail" : "dup";
        } else if (tokens.containsKey(r)) {
            // Existing data: the spec allows no allocation and no ctor on this path.
            why = faultAsks == 0 ? "exists" : "exists after an allocation attempt";
            result = tokens.get(r);
        } else {
            why = "new";
            result = "d" + (tokens.size() + 1);
            tokens.put(r, result);
            if (r != allocated || ((Data) r).constructedFor != obj) {
                throw new AssertionError(where() + "new data " + r + " was not allocated and constructed for "
                        + obj + " by this call");
            }
        }
        // The C messages: WARN on a duplicate alloc, an error on a failing ctor, nothing else.
        String log = why.equals("dup") && op.kind() == Op.Kind.ALLOC ? "WARNING Duplicate shadow variable"
                : why.equals("ctorFail") ? "ERROR Failed to construct shadow variable" : null;
        if (log == null ? !logged.isEmpty() : logged.size() != 1 || !logged.get(0).startsWith(log)) {
            throw new AssertionError(where() + "logged " + logged + (log == null ? ", expected nothing" : ", expected " + log));
        }
        return new Outcome(why, result, ctorCalls.isEmpty() ? "-" : String.join(",", ctorCalls),
                List.copyOf(dtorCalls));
    }

    /** Performs op and checks the outcome against the sequential model ({@link #expect}). */
    void check(Op op) {
        expect(op, model.apply(op));
    }

    /**
     * Performs op and checks that the outcome is the expected one, then that the table holds as
     * many variables as the expected outcomes so far leave.
     */
    void expect(Op op, Outcome expected) {
        Outcome observed = perform(op);
        if (!expected.equals(observed)) {
            throw new AssertionError(where() + "expected " + expected + " but observed " + observed);
        }
        if (expected.why().equals("new")) {
            contents.put(op.obj() + " " + op.id(), expected.result());
        }
        for (String dtor : expected.dtors()) {
            contents.remove(dtor.substring(0, dtor.indexOf('=')) + " " + op.id());
        }
        checkCounts();
    }

    /** The table's live count (stale entries included: they are linked) and expunged count against the model. */
    private void checkCounts() {
        Stats s = table.stats();
        if (s.live() != contents.size() + model.stale() || s.expunged() != model.expunged()) {
            throw new AssertionError(where() + "table holds " + s.live() + " variables (" + s.expunged() + " expunged), expected "
                    + contents.size() + " live + " + model.stale() + " stale (" + model.expunged() + " expunged)");
        }
    }

    /**
     * Weak keys, the spec's Die(o): simulates the collection of the object named {@code name}
     * (every weak key of it cleared and enqueued, TestTables.collect) and removes it from the run:
     * no later step uses it (a later step naming {@code name} gets a new object).
     */
    void collect(String name) {
        history.add("collect " + name);
        Obj dead = objects.remove(name);
        int expected = model.collect(name);
        contents.keySet().removeIf(k -> k.startsWith(name + " "));
        int made = dead == null ? 0 : table.collect(dead);
        if (made != expected) {
            throw new AssertionError(where() + "the table held " + made + " variables of " + name + ", expected " + expected);
        }
        checkCounts();
    }

    /** Weak keys: expunge(), its count against the model's stale entries. */
    void expunge() {
        history.add("expunge");
        int expected = model.expunge();
        int n = table.expunge();
        if (n != expected) {
            throw new AssertionError(where() + "expunge() returned " + n + ", expected " + expected);
        }
        checkCounts();
    }

    /**
     * Ends the run: RCU barrier, then every unlinked entry must be reclaimed, no read touched a
     * reclaimed entry, and every key must read exactly what the expected outcomes left (in
     * particular no freed variable is still reachable). On the GC flavour (no domain) there is no
     * barrier, and "reclaimed = unlinked" and "no poisoned read" cannot fail (reclaimed is counted
     * at the unlink, nothing is poisoned); the counts and the reads still mean something.
     */
    void finish() {
        if (table.rcu() != null) {
            table.rcu().barrier();
        }
        Stats s = table.stats();
        if (s.reclaimed() != s.unlinked() || s.poisonedReads() != 0 || s.live() != contents.size() + model.stale()
                || s.allocated() != s.published() + s.dropped() || s.expunged() != model.expunged()) {
            throw new AssertionError(where() + "after rcu().barrier(): " + s + " (expected " + contents.size() + " live)");
        }
        for (String name : objects.keySet()) {
            for (long id : ids) {
                Object data = table.get(objects.get(name), id);
                String got = data == null ? null : tokenOf(data);
                String want = contents.get(name + " " + id);
                if (want == null ? got != null : !want.equals(got)) {
                    throw new AssertionError(where() + "after rcu().barrier(): <" + name + ", i" + id + "> reads "
                            + got + ", expected " + want);
                }
            }
        }
    }

    private String where() {
        return "step " + history.size() + " of [" + String.join("; ", history) + "]: ";
    }
}
