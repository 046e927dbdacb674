package io.github.shadowvars;

import io.github.shadowvars.kit.TraceStep;
import io.github.shadowvars.kit.TraceTla;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recording mode of a {@link ShadowVariables} table: a {@link Tracer} that logs, per thread,
 * the events of the table's primitives and translates them into the steps of spec/Shadow.tla
 * (g_lock, g_walk, ..., rcu_reclaim, and the Call of each operation), so that a concurrent run can
 * be checked by TLC as a behaviour of the spec (TraceCheckTest). The design is the C recorder's
 * (kernel-check/trace.c, model-check/TRACE.md "Emitting from C"): the algorithm names no label;
 * which label an event is follows from the calling thread's operation and its events so far.
 *
 * <p>Observe, never derive. {@code res} is the operation's own return value (its return event),
 * turned into the entry whose data it is ({@link TraceTla#UNKNOWN_ENTRY} if it is no entry's
 * data; unobserved if the operation threw); {@code ro ri} are read from the entry's memory
 * ({@link ShadowVariables.Entry}'s fields; "-" for a null obj) at the event that reads or
 * publishes it; the constructor's and destructor's {@code e} is the entry whose data they were
 * given and {@code ro} the obj they were given. What the translation writes at another event than
 * its own, or without one, is counted per label ({@link #labelCounts()}):
 * <ul>
 *   <li>merged: g_walk "match" (a walk that stops on an entry loads no further link: written at
 *       rcu_read_unlock), a_recheck and f_walk (the walk under the lock, written at the next event
 *       with the entry it stood on, null if none; a walk that loaded no bucket head is written as
 *       "unexpected", never as a walk that found nothing), fa_walk (freeAll loads an entry's next link
 *       before it knows whether the entry matches, see ShadowVariables' notes: written at the next
 *       event, "match" if that is the entry's unlink; "end" at the unlock), f_dtor/fa_dtor
 *       "notcalled" (kfree_rcu with no destructor call before it) and fa_next (the link loaded
 *       ahead, written after kfree_rcu);</li>
 *   <li>unobserved: a_set, the plain stores of obj and id into the entry the thread allocated,
 *       have no event (as in C): written right after an a_recheck that found nothing, with no
 *       entry (the spec takes it from its own state); their effect is observed by a_publish's
 *       ro ri.</li>
 * </ul>
 * {@code why} is not an observation: it names the return point the thread's events took (the
 * label, and for g_unlock, a_kfree and a_alloc the operation), as the spec's Whys do; what the
 * operation returned is {@code res}.
 * An event the translation has no rule for is written with a label the spec does not have
 * ("unexpected: ..."), which TLC rejects. The phase (where the thread's operation is, as its
 * events show) decides which label an event is; an event whose label the phase cannot decide
 * (a load, lock, unlock, kfree or hash_del_rcu where the operation has none) is "unexpected".
 * Where the label does not depend on the phase (a_alloc, a_ctor, a_publish, the destructor,
 * kfree_rcu), the label is written and the spec checks its order (pc) and its entry.
 *
 * <p>Atomicity. The spec assumes each labelled step is atomic. A shared-memory access runs between
 * {@link #begin()} (which takes this recorder's step lock) and its event (which logs and releases
 * it), so the log order is an order in which the accesses really happened; the other events
 * take the step lock themselves. No event holds the step lock while the table waits for its
 * writer lock (spin_lock's event comes once it is held; the lock is released inside an unlock
 * event). While a thread holds the step lock it waits for nothing but the RCU domain's internal
 * queue lock (callRcu in kfree_rcu), only ever held for short non-blocking work; so the step lock
 * cannot deadlock. The caller's constructor and destructor run outside the step lock, and their
 * events follow them (they touch only the caller's data; a test may pause in them).
 *
 * <p>Use after reclaim: the poison check (the KASAN stand-in, with a broken RCU domain or a seeded
 * bug that reclaims early) runs after the load's event, outside the step lock, and reports its own
 * event before UseAfterReclaimError is thrown: written as "unexpected: use after reclaim of eN",
 * and the walk then stands on nothing, so the unlock events in the operation's finally blocks
 * write no match for it. The recording goes on.
 *
 * <p>Limits: one recorder per table; the data objects of the live entries of a run must be
 * distinct (a returned value is turned into its entry by identity): a data object kzalloc's event
 * gives a second live entry is written "unexpected" (a kfree'd entry's may come again).
 *
 * <p>Names in the log: threads are "t1", "t2", ... in order of their first step; entries are
 * numbered 1, 2, ... in order of allocation (0 = null); objects and ids are kept as given.
 */
public final class StepRecorder extends Tracer {

    /**
     * Whether the writer-lock holder enters an RCU read-side section with the lock (true, the
     * default: as in C, where the lock holder has interrupts disabled, and as the spec's Inside
     * assumes) or not (false: the real table's reclamation timing; its traces are behaviours of
     * the spec's variant LockNotReader).
     */
    final boolean lockHolderIsReader;
    private final Rcu rcu;
    /** Held during each recorded step; orders the steps (reentrant: a ctor may call another recorded table). */
    private final ReentrantLock stepLock = new ReentrantLock();
    /** The log, guarded by stepLock. */
    private final List<TraceStep> steps = new ArrayList<>();
    /** Entry numbers, guarded by stepLock. */
    private final Map<Object, Integer> entries = new IdentityHashMap<>();
    /**
     * Each live allocation's data and its entry (kzalloc's event; removed at kfree, not at the
     * reclaim: a reader's return value may follow its entry's reclaim), guarded by stepLock: turns a returned value or a ctor/dtor argument into its entry.
     * A data object handed to a second live entry is written "unexpected".
     */
    private final Map<Object, Object> entryOfData = new IdentityHashMap<>();
    /** Thread names, guarded by stepLock. */
    private final Map<Thread, String> threads = new IdentityHashMap<>();
    /** Each thread's translation state, guarded by stepLock: a stack, the innermost operation on top (an operation called from the caller's own code inside another). */
    private final Map<Thread, ArrayDeque<Context>> contexts = new IdentityHashMap<>();
    /** Per label: lines written at the label's own event, merged into another event, unobserved (no event); guarded by stepLock. */
    private final Map<String, long[]> counts = new TreeMap<>();

    /** A recorder for tables of domain {@code rcu} whose lock holders are RCU readers (see {@link #lockHolderIsReader}). */
    StepRecorder(Rcu rcu) {
        this(rcu, true);
    }

    StepRecorder(Rcu rcu, boolean lockHolderIsReader) {
        this.rcu = rcu;
        this.lockHolderIsReader = lockHolderIsReader;
    }

    /** Where a thread's operation is, as its events show. */
    private enum Phase {
        /** free and freeAll before their spin_lock event. */
        LOCK,
        /** get, or the lockless pre-check of alloc/getOrAlloc: the read-side walk. */
        READ,
        /** alloc/getOrAlloc after a pre-check that found nothing: kzalloc, then the lock. */
        ALLOC,
        /** the re-check's walk under the lock (its loads are collected). */
        RECHECK,
        /** the re-check found the key: unlock, kfree, return. */
        EXISTS,
        /** the re-check found nothing: ctor, publish, unlock (or the ctor failed: unlock, kfree). */
        SET,
        /** free's walk (its loads are collected). */
        FREE_WALK,
        /** free after its walk: unlink, dtor, kfree_rcu, unlock. */
        FREE,
        /** freeAll. */
        FREE_ALL,
        /** the operation's last step is written (get's g_unlock, a pre-check that found it, a_alloc fail, a kfree): its return follows. */
        RETURN,
        /** returned. */
        IDLE
    }

    /** A thread's translation state. */
    private static final class Context {
        final String op;
        Phase phase;
        boolean inReadSide;
        /** The entry the walk stands on: the last link it loaded (null: none, or none loaded). */
        Object cur;
        /** Whether the walk under the lock (re-check, free's walk) has loaded its bucket head. */
        boolean walked;
        /** The entry kzalloc returned to this operation; whether kzalloc failed. */
        Object allocated;
        boolean allocFailed;
        boolean published;
        boolean faLockWritten;
        /** freeAll's look-ahead: the entry whose next link was loaded (null: none pending), and that link. */
        Object aheadOf;
        Object ahead;
        /** After a match resolved from the look-ahead: the link loaded ahead, written as fa_next after kfree_rcu. */
        boolean aheadIsNext;
        /** The entry handed to klp_shadow_free_struct, and whether its destructor was called. */
        Object freeing;
        boolean dtorCalled;
        /** Log positions of this operation's returning steps, waiting for its return value. */
        final List<Integer> awaitingResult = new ArrayList<>();

        Context(String op) {
            this.op = op;
            this.phase = switch (op) {
                case "get", "alloc", "getOrAlloc" -> Phase.READ;
                default -> Phase.LOCK; // free, freeAll: their walk starts at the lock event
            };
        }

        /**
         * Whether the thread runs the caller's code now, as its events show: the allocate
         * supplier (after the pre-check's unlock, before kzalloc's event), the constructor (the
         * re-check walked, no event since) or the destructor (after the unlink, before the
         * destructor's or kfree_rcu's event).
         */
        boolean inCallersCode() {
            return (phase == Phase.ALLOC && allocating() && allocated == null && !allocFailed)
                    || (phase == Phase.RECHECK && walked)
                    || (freeing != null && !dtorCalled);
        }

        boolean allocating() {
            return op.equals("alloc") || op.equals("getOrAlloc");
        }
    }

    private enum How { OWN, MERGED, UNOBSERVED }

    // The events (Tracer). "After begin" ones release the step lock that begin took.

    @Override
    public void call(String op, Object obj, long id) {
        stepLock.lock();
        try {
            ArrayDeque<Context> stack = contexts.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>());
            Context old = stack.peek();
            if (old != null && old.inCallersCode()) {
                // called from the caller's code inside another operation (its allocate supplier,
                // constructor or destructor): the spec's process runs one operation at a time
                unexpected("nested call " + op + " inside " + old.op);
            } else {
                if (old != null) {
                    old.awaitingResult.clear(); // the last operation threw: its result stays unobserved
                }
                stack.clear();
            }
            stack.push(new Context(op));
            steps.add(new TraceStep(steps.size() + 1, threadName(), "Call", op, obj, id, 0, null, 0, 0, null));
            count("Call", How.OWN);
            if (op.equals("expunge")) {
                unexpected("expunge: the weak variant's steps (x_*) have no translation rule here");
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void returned(Object value) {
        stepLock.lock();
        try {
            Context c = context();
            if (c.phase == Phase.FREE_WALK) {
                flushFreeWalk(c); // a free that never unlocked (a seeded bug): its walk ends here
            }
            int res = value == null ? 0 : entryOfData.containsKey(value) ? number(entryOfData.get(value)) : TraceTla.UNKNOWN_ENTRY;
            for (int k : c.awaitingResult) {
                TraceStep s = steps.get(k);
                steps.set(k, new TraceStep(s.seq(), s.thread(), s.label(), s.op(), s.obj(), s.id(), s.entry(), s.outcome(),
                        s.next(), res, s.why()));
            }
            c.awaitingResult.clear();
            c.phase = Phase.IDLE;
            ArrayDeque<Context> stack = contexts.get(Thread.currentThread());
            if (stack.size() > 1) {
                stack.pop();                                      // back to the operation whose code called it
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void begin() {
        stepLock.lock();
    }

    @Override
    public void headLoaded(Object head) {
        try {
            Context c = context();
            switch (c.phase) {
                case READ -> {
                    if (!c.inReadSide) {
                        unexpected("a bucket head loaded outside a read-side section");
                    }
                    add(c, "g_lock", How.OWN, head, null, null);
                    c.cur = head;
                }
                case RECHECK, FREE_WALK -> {
                    c.cur = head;
                    c.walked = true;
                }
                case FREE_ALL -> {
                    if (!c.faLockWritten) {
                        c.faLockWritten = true;
                        add(c, "fa_lock", How.OWN, head, null, null);
                    } else {
                        resolveAhead(c, null);
                        add(c, "fa_walk", How.OWN, null, "nextBucket", head);
                    }
                    c.cur = head;
                }
                default -> unexpected("a bucket head loaded in phase " + c.phase);
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void linkLoaded(Object entry, Object next) {
        try {
            Context c = context();
            switch (c.phase) {
                case READ -> {
                    withFields(add(c, "g_walk", How.OWN, entry, "follow", next), entry);
                    c.cur = next;
                }
                case RECHECK, FREE_WALK -> c.cur = next;
                case FREE_ALL -> {
                    resolveAhead(c, null);
                    c.aheadOf = entry;
                    c.ahead = next;
                }
                default -> unexpected("a next link loaded in phase " + c.phase);
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void readLocked() {
        stepLock.lock();
        try {
            Context c = context();
            c.inReadSide = true;
            c.cur = null;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void readUnlocked() {
        try {
            Context c = context();
            if (c.phase != Phase.READ) {
                unexpected("rcu_read_unlock in phase " + c.phase);
                return;
            }
            if (c.cur != null) {
                withFields(add(c, "g_walk", How.MERGED, c.cur, "match", null), c.cur); // the walk stopped on it
            }
            String why = c.op.equals("get") ? "value" : c.cur == null ? null : c.op.equals("alloc") ? "dup" : "exists";
            add(c, "g_unlock", How.OWN, c.cur, null, null, why);
            c.inReadSide = false;
            c.phase = why == null ? Phase.ALLOC : Phase.RETURN;  // a pre-check that found nothing goes on to allocate
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void allocated(Object entry, Object data) {
        stepLock.lock();
        try {
            Context c = context();
            if (entry == null) {
                c.allocFailed = true;
                c.phase = Phase.RETURN;
                add(c, "a_alloc", How.OWN, null, "fail", null, "allocFail");
            } else {
                number(entry);
                Object previous = entryOfData.put(data, entry);
                if (previous != null) {                           // a data object handed out twice: its return cannot be told apart
                    unexpected("kzalloc's data is already e" + number(previous) + "'s");
                }
                c.allocated = entry;
                add(c, "a_alloc", How.OWN, entry, "ok", null);
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void locked() {
        stepLock.lock();
        try {
            if (lockHolderIsReader) {
                rcu.readLock();                                   // the lock holder is an RCU reader, as in C
            }
            Context c = context();
            if (c.allocating() && c.phase == Phase.ALLOC) {
                add(c, "a_lock", How.OWN, null, null, null);
                c.phase = Phase.RECHECK;
            } else if (c.op.equals("free") && c.phase == Phase.LOCK) {
                add(c, "f_lock", How.OWN, null, null, null);
                c.phase = Phase.FREE_WALK;
            } else if (c.op.equals("freeAll") && c.phase == Phase.LOCK) {
                c.phase = Phase.FREE_ALL;                         // fa_lock is written with bucket 0's head
            } else {
                unexpected("spin_lock in phase " + c.phase);
            }
            c.cur = null;
            c.walked = false;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void constructed(Object obj, Object data, boolean ok) {
        stepLock.lock();
        try {
            Context c = context();
            flushRecheck(c);
            TraceStep s = add(c, "a_ctor", How.OWN, entryOfData.get(data), ok ? "ok" : "fail", null);
            replace(s, obj, TraceTla.NO_ID); // the obj argument
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void published(Object entry) {
        try {
            Context c = context();
            flushRecheck(c);
            withFields(add(c, "a_publish", How.OWN, entry, null, null), entry);
            c.published = true;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void unlocked() {
        try {
            if (lockHolderIsReader) {
                rcu.readUnlock();
            }
            Context c = context();
            if (c.phase == Phase.LOCK || c.phase == Phase.READ || c.phase == Phase.ALLOC) {
                unexpected("spin_unlock in phase " + c.phase + " (no spin_lock before it)");
            } else if (c.allocating()) {
                flushRecheck(c);
                if (c.phase == Phase.EXISTS) {
                    add(c, "a_exists_unlock", How.OWN, null, null, null);
                } else if (c.published) {
                    add(c, "a_unlock", How.OWN, null, null, null, "new");
                } else {
                    add(c, "a_ctor_fail_unlock", How.OWN, null, null, null);
                }
            } else if (c.op.equals("free")) {
                flushFreeWalk(c);
                done(add(c, "f_unlock", How.OWN, null, null, null));
            } else {
                resolveAhead(c, null);
                if (c.cur == null) {
                    add(c, "fa_walk", How.MERGED, null, "end", null); // the last bucket ended
                }
                done(add(c, "fa_unlock", How.OWN, null, null, null));
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void kfree(Object entry) {
        stepLock.lock();
        try {
            Context c = context();
            entryOfData.values().remove(entry);                   // freed: its data may be handed out again
            expect(c, "kfree", Phase.EXISTS, Phase.SET);
            if (c.phase == Phase.EXISTS) {
                add(c, "a_kfree", How.OWN, entry, null, null, c.op.equals("alloc") ? "dup" : "exists");
            } else {
                add(c, "a_ctor_fail_kfree", How.OWN, entry, null, null, "ctorFail");
            }
            c.phase = Phase.RETURN;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void unlinked(Object entry) {
        try {
            Context c = context();
            if (c.op.equals("free")) {
                flushFreeWalk(c);
                expect(c, "hash_del_rcu", Phase.FREE);
            } else if (c.phase != Phase.FREE_ALL) {
                unexpected("hash_del_rcu in phase " + c.phase);
            } else if (c.aheadOf == entry) {
                resolveAhead(c, entry);                           // the entry whose link was loaded ahead matched
            } else {
                withFields(add(c, "fa_walk", How.MERGED, c.cur, "match", null), c.cur);
            }
            add(c, c.op.equals("free") ? "f_del" : "fa_del", How.OWN, entry, null, null);
            c.freeing = entry;
            c.dtorCalled = false;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void destroyed(Object obj, Object data) {
        stepLock.lock();
        try {
            Context c = context();
            TraceStep s = add(c, c.op.equals("free") ? "f_dtor" : "fa_dtor", How.OWN, entryOfData.get(data), "called", null);
            replace(s, obj, TraceTla.NO_ID); // the obj argument
            c.dtorCalled = true;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void kfreeRcu(Object entry) {
        try {
            Context c = context();
            boolean free = c.op.equals("free");
            if (!c.dtorCalled) {
                add(c, free ? "f_dtor" : "fa_dtor", How.MERGED, entry, "notcalled", null);
            }
            add(c, free ? "f_kfree_rcu" : "fa_kfree_rcu", How.OWN, entry, null, null);
            if (!free && c.aheadIsNext) {
                add(c, "fa_next", How.MERGED, c.ahead, null, null); // the link loaded ahead (see ShadowVariables' notes)
                c.cur = c.ahead;
                c.ahead = null;
                c.aheadIsNext = false;
            }
            c.freeing = null;
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void reclaimed(Object entry) {
        try {
            steps.add(new TraceStep(steps.size() + 1, threadName(), "rcu_reclaim", null, null, 0, number(entry), null, 0, 0, null));
            count("rcu_reclaim", How.OWN);
        } finally {
            stepLock.unlock();
        }
    }

    /** Weak keys only: no translation rule for the weak variant's steps, so the trace is rejected, never passed. */
    @Override
    public void polled(Object key) {
        stepLock.lock();
        try {
            unexpected("ReferenceQueue.poll (weak keys): the weak variant's steps (x_*) have no translation rule here");
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void useAfterReclaim(Object entry) {
        stepLock.lock();
        try {
            Context c = context();
            unexpected("use after reclaim of e" + number(entry)); // KASAN's report: no spec step reads a reclaimed entry
            c.cur = null;                                         // the walk stands on nothing the finally-block events could write as a match
            c.aheadOf = null;
            c.ahead = null;
            c.aheadIsNext = false;
        } finally {
            stepLock.unlock();
        }
    }

    // The translation's helpers; the caller holds the step lock.

    /** The re-check's walk ends at this event: a_recheck with the entry it stood on; found nothing: a_set (no event of its own). */
    private void flushRecheck(Context c) {
        if (c.phase != Phase.RECHECK) {
            return;
        }
        if (!c.walked) {
            unexpected("the re-check under the lock loaded no bucket head");
            c.phase = Phase.SET;
            return;
        }
        withFields(add(c, "a_recheck", How.MERGED, c.cur, null, null), c.cur);
        if (c.cur != null) {
            c.phase = Phase.EXISTS;
        } else {
            add(c, "a_set", How.UNOBSERVED, null, null, null);             // no entry: nothing observed it (TraceTla writes no e)
            c.phase = Phase.SET;
        }
    }

    /** free's walk ends at this event: f_walk with the entry it stood on. */
    private void flushFreeWalk(Context c) {
        if (c.phase != Phase.FREE_WALK) {
            return;
        }
        if (!c.walked) {
            unexpected("free's walk under the lock loaded no bucket head");
            c.phase = Phase.FREE;
            return;
        }
        withFields(add(c, "f_walk", How.MERGED, c.cur, null, null), c.cur);
        c.phase = Phase.FREE;
    }

    /** freeAll's look-ahead load, resolved by the next event: a match if that unlinks {@code unlinking}, else a follow. */
    private void resolveAhead(Context c, Object unlinking) {
        if (c.aheadOf == null) {
            return;
        }
        Object e = c.aheadOf;
        c.aheadOf = null;
        if (e == unlinking) {
            withFields(add(c, "fa_walk", How.MERGED, e, "match", null), e);
            c.aheadIsNext = true;                                              // its next link becomes fa_next
        } else {
            withFields(add(c, "fa_walk", How.MERGED, e, "follow", c.ahead), e);
            c.cur = c.ahead;
            c.ahead = null;
        }
    }

    /** Writes "unexpected" if the thread's operation is in none of the phases {@code allowed} for {@code event}. */
    private void expect(Context c, String event, Phase... allowed) {
        for (Phase ph : allowed) {
            if (c.phase == ph) {
                return;
            }
        }
        unexpected(event + " in phase " + c.phase);
    }

    private void unexpected(String what) {
        steps.add(new TraceStep(steps.size() + 1, threadName(), "unexpected: " + what, null, null, 0, 0, null, 0, 0, null));
        count("unexpected", How.OWN);
    }

    private TraceStep add(Context c, String label, How how, Object entry, String outcome, Object next) {
        return add(c, label, how, entry, outcome, next, null);
    }

    /** Appends a step; one with a why waits for the operation's return value (unobserved until then). */
    private TraceStep add(Context c, String label, How how, Object entry, String outcome, Object next, String why) {
        TraceStep s = new TraceStep(steps.size() + 1, threadName(), label, null, null, 0, number(entry), outcome, number(next),
                why == null ? 0 : TraceTla.UNOBSERVED, why);
        steps.add(s);
        count(label, how);
        if (why != null) {
            c.awaitingResult.add(steps.size() - 1);
        }
        return s;
    }

    /** f_unlock/fa_unlock: free and freeAll return nothing; no result is written. */
    private void done(TraceStep s) {
        steps.set(s.seq() - 1, new TraceStep(s.seq(), s.thread(), s.label(), null, null, 0, s.entry(), null, 0,
                TraceTla.UNOBSERVED, "done"));
    }

    /** The step's ro and ri: obj and id read now from {@code entry}'s memory (an entry's fields, "-" for a null obj). */
    private void withFields(TraceStep s, Object entry) {
        if (entry != null) {
            ShadowVariables.Entry e = (ShadowVariables.Entry) entry;
            Object obj = e.obj;
            replace(s, obj == null ? "-" : obj, e.id);
        }
    }

    private void replace(TraceStep s, Object obj, long id) {
        steps.set(s.seq() - 1, new TraceStep(s.seq(), s.thread(), s.label(), null, obj, id, s.entry(), s.outcome(), s.next(),
                s.result(), s.why()));
    }

    private void count(String label, How how) {
        counts.computeIfAbsent(label, l -> new long[3])[how.ordinal()]++;
    }

    private Context context() {
        ArrayDeque<Context> stack = contexts.get(Thread.currentThread());
        Context c = stack == null ? null : stack.peek();
        if (c == null) {
            throw new IllegalStateException("an event of a thread with no operation (the RCU callback runs only reclaimed)");
        }
        return c;
    }

    /** The RCU domain of the recorded tables. */
    Rcu rcu() {
        return rcu;
    }

    /** A copy of the log so far, in step order. */
    List<TraceStep> steps() {
        stepLock.lock();
        try {
            return List.copyOf(steps);
        } finally {
            stepLock.unlock();
        }
    }

    /**
     * Per label, how its lines were written so far: {own, merged, unobserved} (own: at the label's
     * own event; merged: at another event; unobserved: without any, see the class comment).
     */
    Map<String, long[]> labelCounts() {
        stepLock.lock();
        try {
            Map<String, long[]> copy = new TreeMap<>();
            counts.forEach((l, n) -> copy.put(l, n.clone()));
            return copy;
        } finally {
            stepLock.unlock();
        }
    }

    private int number(Object entry) {
        if (entry == null) {
            return 0;
        }
        return entries.computeIfAbsent(entry, e -> entries.size() + 1);
    }

    private String threadName() {
        return threads.computeIfAbsent(Thread.currentThread(), t -> "t" + (threads.size() + 1));
    }
}
