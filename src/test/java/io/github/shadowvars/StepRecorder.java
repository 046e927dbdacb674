package io.github.shadowvars;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The recording mode of a {@link ShadowVariables} table. It logs, per thread, the
 * steps of the table's operations at the granularity of the labels of spec/Shadow.tla (g_lock,
 * g_walk, ..., rcu_reclaim, and the Call of each operation), so that a concurrent run can be
 * checked by TLC as a behaviour of the spec (src/test/java/io/github/shadowvars/TraceCheckTest.java).
 *
 * <p>A {@link Tracer} given to the table's package-private constructor. The table reports what each
 * step observed (the entry, the walk's outcome and next link); the recorder adds what follows from
 * the label: the steps that return (g_unlock of a get or of a pre-check that found the key,
 * a_alloc failing, a_kfree, a_ctor_fail_kfree, a_unlock, f_unlock, fa_unlock) with the result and
 * its reason as the spec's Whys, from the calling thread's operation and its last lookup.
 *
 * <p>Atomicity. The spec assumes each labelled step is atomic. In recording mode every recorded
 * step runs between {@link #begin()} and an {@code end(...)}: begin takes this recorder's step
 * lock, end appends the step to the log (its position is the global sequence number) and releases
 * the lock. So the recorded steps are atomic with respect to each other and the log order is an
 * order in which they really happened. No step holds the step lock while it waits for the table's
 * writer lock: a lock step first acquires the writer lock, then records (the writer lock is only
 * released inside an unlock step, which is recorded before any later lock step can be). While
 * a thread holds the step lock it waits for nothing but the RCU domain's internal queue lock
 * (callRcu in a kfree_rcu step), which is only ever held for short non-blocking work; so the step
 * lock cannot deadlock.
 * The caller's constructor and destructor run outside the step lock, just before their a_ctor or
 * f_dtor/fa_dtor step is recorded (they touch only the caller's data; a test may pause in them).
 *
 * <p>Limits: a step that throws before it ends (only UseAfterReclaimError, i.e. with a broken RCU
 * domain or a seeded bug that reclaims early) leaves the step lock held, and other recording
 * threads then wait for ever: record runs of the real algorithm, or of seeded bugs that do not
 * poison (as TraceCheckTest does). One recorder per table.
 *
 * <p>Names in the log: threads are "t1", "t2", ... in order of their first step; entries are
 * numbered 1, 2, ... in order of allocation (0 = null); objects and ids are kept as given.
 */
public final class StepRecorder extends Tracer {

    /** The labels whose entry is an observation even when null (a head, a next link, a search result). */
    private static final Set<String> OBSERVES_ENTRY =
            Set.of("g_lock", "g_unlock", "a_recheck", "f_walk", "fa_lock", "fa_walk", "fa_next");

    /**
     * One recorded step.
     *
     * @param seq     its position in the global order, from 1
     * @param thread  "t1", "t2", ...: the thread that took it
     * @param label   the spec label (or "Call")
     * @param op      Call only: get, alloc, getOrAlloc, free, freeAll; else null
     * @param obj     Call: the parent object (null for freeAll); g_walk/fa_walk on an entry: the
     *                obj field read there; else null
     * @param id      Call: the id; g_walk/fa_walk on an entry: the id field read there; else 0
     * @param entry   the entry the step is about (see the label's record in the trace module), 0 = null
     * @param outcome what the step observed, if it can end more than one way ("ok"/"fail",
     *                "match"/"follow"/"nextBucket"/"end", "called"/"none"), else null
     * @param next    g_walk/fa_walk "follow" and "nextBucket": the entry stepped to, 0 = null
     * @param result  a step that returns: the entry whose data the operation returns, 0 = null
     * @param why     a step that returns: why (as ShadowAtomic's Whys), else null
     */
    public record Step(int seq, String thread, String label, String op, Object obj, long id, int entry,
                String outcome, int next, int result, String why) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder().append(seq).append(' ').append(thread).append(' ').append(label);
            if (op != null) {
                b.append(' ').append(op).append('(').append(obj == null ? "" : obj + ", ").append(id).append(')');
            }
            if (entry != 0) {
                b.append(" e").append(entry);
            } else if (OBSERVES_ENTRY.contains(label)) {
                b.append(" null");
            }
            if (op == null && (label.equals("g_walk") || label.equals("fa_walk")) && entry != 0) {
                b.append(" <").append(obj).append(", ").append(id).append('>');
            }
            if (outcome != null) {
                b.append(' ').append(outcome);
            }
            if ("follow".equals(outcome) || "nextBucket".equals(outcome)) {
                b.append(" -> ").append(next == 0 ? "null" : "e" + next);
            }
            if (why != null) {
                b.append(" returns ").append(result == 0 ? "null" : "e" + result).append(" (").append(why).append(')');
            }
            return b.toString();
        }
    }

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
    private final List<Step> steps = new ArrayList<>();
    /** Entry numbers, guarded by stepLock. */
    private final Map<Object, Integer> entries = new IdentityHashMap<>();
    /** Thread names, guarded by stepLock. */
    private final Map<Thread, String> threads = new IdentityHashMap<>();
    /** Each thread's current operation and the entry its last lookup (g_unlock, a_recheck) found; guarded by stepLock. */
    private final Map<Thread, String> ops = new IdentityHashMap<>();
    private final Map<Thread, Object> lastFound = new IdentityHashMap<>();

    /** A recorder for tables of domain {@code rcu} whose lock holders are RCU readers (see {@link #lockHolderIsReader}). */
    StepRecorder(Rcu rcu) {
        this(rcu, true);
    }

    StepRecorder(Rcu rcu, boolean lockHolderIsReader) {
        this.rcu = rcu;
        this.lockHolderIsReader = lockHolderIsReader;
    }

    /** The labels of the lock steps and of the unlock steps. */
    static final Set<String> LOCKS = Set.of("a_lock", "f_lock", "fa_lock");
    static final Set<String> UNLOCKS = Set.of("a_unlock", "a_exists_unlock", "a_ctor_fail_unlock", "f_unlock", "fa_unlock");

    @Override
    public void call(String op, Object obj, long id) {
        stepLock.lock();
        try {
            ops.put(Thread.currentThread(), op);
            steps.add(new Step(steps.size() + 1, threadName(), "Call", op, obj, id, 0, null, 0, 0, null));
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void begin() {
        stepLock.lock();
    }

    @Override
    public void end(String label, Object entry, String outcome, Object next) {
        try {
            Thread me = Thread.currentThread();
            if (LOCKS.contains(label) && lockHolderIsReader) {
                rcu.readLock();                                   // the lock holder is an RCU reader, as in C
            } else if (UNLOCKS.contains(label) && lockHolderIsReader) {
                rcu.readUnlock();
            }
            String op = ops.get(me);
            switch (label) {
                case "g_unlock" -> {
                    lastFound.put(me, entry);
                    if (op.equals("get")) {
                        add(label, entry, null, null, entry, "value");
                    } else if (entry == null) {
                        add(label, null, null, null, null, null);          // pre-check missed: go on to a_alloc
                    } else if (op.equals("alloc")) {
                        add(label, entry, null, null, null, "dup");
                    } else {
                        add(label, entry, null, null, entry, "exists");
                    }
                }
                case "a_recheck" -> {
                    lastFound.put(me, entry);
                    add(label, entry, outcome, next, null, null);
                }
                case "a_alloc" -> add(label, entry, outcome, null, null, "fail".equals(outcome) ? "allocFail" : null);
                case "a_kfree" -> add(label, entry, null, null,
                        op.equals("alloc") ? null : lastFound.get(me), op.equals("alloc") ? "dup" : "exists");
                case "a_ctor_fail_kfree" -> add(label, entry, null, null, null, "ctorFail");
                case "a_unlock" -> add(label, null, null, null, entry, "new");
                case "f_unlock", "fa_unlock" -> add(label, null, null, null, null, "done");
                case "a_exists_unlock", "a_ctor_fail_unlock", "a_lock", "f_lock" -> add(label, null, null, null, null, null);
                default -> add(label, entry, outcome, next, null, null);
            }
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void visit(String label, Object entry, Object objRead, long idRead, String outcome, Object next) {
        try {
            steps.add(new Step(steps.size() + 1, threadName(), label, null, objRead, idRead, number(entry), outcome,
                    number(next), 0, null));
        } finally {
            stepLock.unlock();
        }
    }

    @Override
    public void done(String label, Object entry, String outcome) {
        begin();
        end(label, entry, outcome, null);
    }

    private void add(String label, Object entry, String outcome, Object next, Object result, String why) {
        steps.add(new Step(steps.size() + 1, threadName(), label, null, null, 0, number(entry), outcome,
                number(next), number(result), why));
    }

    /** The RCU domain of the recorded tables. */
    Rcu rcu() {
        return rcu;
    }

    /** A copy of the log so far, in step order. */
    List<Step> steps() {
        stepLock.lock();
        try {
            return List.copyOf(steps);
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
