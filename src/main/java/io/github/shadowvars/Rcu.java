package io.github.shadowvars;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One userspace RCU domain: read-side critical sections, grace periods and deferred callbacks,
 * the Java stand-in for the kernel's {@code rcu_read_lock}, {@code rcu_read_unlock},
 * {@code synchronize_rcu}, {@code call_rcu}/{@code kfree_rcu} and {@code rcu_barrier}.
 *
 * <h2>Algorithm (epoch based)</h2>
 * <ul>
 *   <li>The domain has a global epoch counter, starting at 1 and only ever incremented.</li>
 *   <li>Every thread that uses the domain gets one {@link Reader} record (through a ThreadLocal
 *       owned by this domain, not a static one), registered once in this domain's registry. The
 *       record holds a volatile {@code epoch}: 0 while the thread is outside any read-side section,
 *       otherwise the global epoch it read when it entered its outermost section. Sections nest,
 *       like {@code rcu_read_lock}; only the outermost lock and unlock touch {@code epoch}.</li>
 *   <li>{@link #readLock()} stores {@code epoch = globalEpoch}; {@link #readUnlock()} stores
 *       {@code epoch = 0}. Readers never block and never take a lock.</li>
 *   <li>A grace period is started by incrementing the global epoch; the new value is its
 *       {@code target}. It has completed once a scan of the registry, made after the increment,
 *       finds every reader with {@code epoch == 0} (outside) or {@code epoch >= target} (entered
 *       after the start). {@link #synchronize()} increments and spins until then.</li>
 *   <li>{@link #callRcu(Runnable)} does not increment: it reads the global epoch {@code g} and
 *       queues the callback with target {@code g + 1}, the next grace period. The increment to
 *       {@code g + 1} comes after that read (the counter only grows), so that grace period starts
 *       after everything the caller did before callRcu. {@link #processCallbacks()} and
 *       {@link #barrier()} start it (one increment for every callback queued since the last one:
 *       a freeAll of n entries costs one grace period, not n), scan, and run the callbacks whose
 *       target has completed.</li>
 *   <li>Batching ({@link #processCallbacksBatched()}, what the table calls after each free):
 *       while the last scan found a reader inside a section, it leaves callbacks queued until
 *       {@link #BATCH} of them wait, so a stream of frees beside busy readers starts one grace
 *       period (one increment of the shared epoch, one scan of the readers' records) per BATCH
 *       frees instead of one per free, as the kernel batches kfree_rcu. Readers are not delayed
 *       by it; reclamation may be, by at most BATCH - 1 callbacks per domain.</li>
 * </ul>
 *
 * <h2>Why a grace period protects an unlinked entry</h2>
 * Every access the argument relies on but one is a volatile access (the reader's epoch store on
 * entry, its loads of list links, the writer's unlinking store, the epoch increment, the writer's
 * loads of the readers' epochs, the registry's links), and volatile accesses are sequentially
 * consistent in the Java memory model: they form one total order consistent with each thread's
 * program order, and each volatile load sees the last store to that variable before it in that
 * order. The exception is the store of 0 on exit: a release store (VarHandle.setRelease), which is
 * enough because the only thing it must order is "every load of the section before the store", and
 * a scan that reads that 0 with a volatile (acquire) load then sees everything the section did as
 * happened-before; it is ordered after the same thread's earlier volatile entry store (coherence),
 * so a scan cannot read an older 0 once the entry store is visible. The entry store must stay a
 * volatile (store-load fenced) store: the section's list loads must not move before it. A writer
 * unlinks an entry, then calls callRcu, whose volatile read of the epoch g fixes target g + 1; the
 * increment to g + 1 comes after that read in the total order, so after the unlink; the scan that
 * completes the grace period comes after the increment. Take any reader whose scan result let the
 * grace period complete:
 * <ul>
 *   <li>it was seen with {@code epoch == 0}: either its section ended before the scan (its
 *       unlock store of 0 comes before the scan's load, so all its loads of the list did too:
 *       the writer may reclaim), or its section's epoch store comes after the scan's load in
 *       the total order, so all of that section's list loads come after the unlink and cannot
 *       reach the unlinked entry (new sections start from the bucket head);</li>
 *   <li>it was seen with {@code epoch >= target}: it read the global epoch after the increment,
 *       so again after the unlink;</li>
 *   <li>a reader whose record was not in the registry yet registers (a CAS on the registry's
 *       links) after the scan read those links, hence enters after the unlink as well.</li>
 * </ul>
 * Readers seen with {@code 0 < epoch < target} may have entered before the unlink; the grace
 * period waits for them. Waiting for a reader that entered just after the start (it read the old
 * epoch but stored it late) is conservative, never wrong. A registered thread that has terminated
 * cannot read anything any more ({@link Thread#isAlive()} returning false gives the needed
 * happens-before), so its record is dropped from the registry: at the next scan if the thread
 * died inside a section (a bug in the caller, forgiven rather than blocking grace periods forever),
 * otherwise once the GC has cleared the record's weak reference to the Thread.
 * The epoch is a {@code long}: 2^63 grace periods before it could wrap.
 *
 * <h2>Rules and answers</h2>
 * <ul>
 *   <li>{@link #readUnlock()} without a matching {@link #readLock()}: {@link IllegalStateException}.</li>
 *   <li>{@link #synchronize()} or {@link #barrier()} inside a read-side section of the calling
 *       thread: {@link IllegalStateException} (the wait could never end: it waits for the caller).</li>
 *   <li>Waiting is uninterruptible, like the kernel's {@code synchronize_rcu}: an interrupt does
 *       not stop the wait and the thread's interrupt status is preserved, not cleared. Waiting
 *       spins with {@link Thread#onSpinWait()}, then yields; it never sleeps.</li>
 *   <li>Callbacks never run inside {@link #callRcu(Runnable)}; they run in
 *       {@link #processCallbacks()}, {@link #processCallbacksBatched()} or {@link #barrier()}, in
 *       the order they were queued, on the calling thread. If callbacks throw, the others still run; the first exception is rethrown
 *       at the end with the later ones added as suppressed.</li>
 * </ul>
 * A domain holds no static state: several domains are fully independent.
 */
public final class Rcu {

    /**
     * One thread's read-side state in this domain. Package-private so that the table can hold the
     * record {@link #enter()} returned and give it back to {@link #exit(Reader)}: one ThreadLocal
     * lookup per read-side section instead of two.
     */
    static final class Reader {
        /** 0 = outside any read-side section; otherwise the global epoch read on outermost entry. */
        volatile long epoch;
        /** Read-side nesting depth; only the owner thread touches it. */
        int nesting;
        /** The owner thread, weakly, so that a terminated thread's record can be dropped. */
        final WeakReference<Thread> owner;

        Reader(Thread owner) {
            this.owner = new WeakReference<>(owner);
        }
    }

    /** A queued callback and the grace period (its target epoch) it waits for. */
    private record Pending(long target, Runnable callback) { }

    /** {@link Reader#epoch}, for the release store of readUnlock (no full fence needed on exit). */
    private static final VarHandle EPOCH;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            EPOCH = l.findVarHandle(Reader.class, "epoch", long.class);
            QUEUED = l.findVarHandle(Rcu.class, "queued", int.class);
            READERS_BUSY = l.findVarHandle(Rcu.class, "readersBusy", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The global epoch; starts at 1 so that 0 can mean "outside any section". */
    private final AtomicLong globalEpoch = new AtomicLong(1);
    /** Every thread's reader record in this domain (registered once per thread, pruned when dead). */
    private final ConcurrentLinkedQueue<Reader> readers = new ConcurrentLinkedQueue<>();
    /** The calling thread's reader record, registered on first use. */
    private final ThreadLocal<Reader> reader = ThreadLocal.withInitial(this::register);
    /** Queued callbacks in queue order; their targets never decrease (each is the epoch, read under queueLock, plus 1). */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Guards {@link #queue}; held only for short non-blocking work, never while callbacks run. */
    private final ReentrantLock queueLock = new ReentrantLock();
    /** Held while a thread runs callbacks, so that barrier() also waits for callbacks another thread is running. */
    private final ReentrantLock runLock = new ReentrantLock();
    /**
     * How many queued callbacks make {@link #processCallbacksBatched()} process while readers are
     * busy: 64 frees share one grace period; at most 63 reclamations wait for the batch.
     */
    public static final int BATCH = 64;
    /** How many callbacks are queued: written under queueLock, read without it (opaque). */
    private int queued;
    /** Whether the last scan found a reader inside a section (opaque; a hint for batching only). */
    private boolean readersBusy;
    /** Opaque access to {@link #queued} and {@link #readersBusy}: atomic, no fence. */
    private static final VarHandle QUEUED;
    private static final VarHandle READERS_BUSY;
    /** Seeded bug for tests: grace periods complete immediately, without waiting for readers. */
    private final boolean brokenNoGracePeriod;
    /** Test hook: run once per grace-period wait, when the waiter first finds a reader to wait for. */
    private volatile Runnable waitHook;

    /** A new, independent RCU domain. */
    public Rcu() {
        this(false);
    }

    /**
     * SEEDED BUG, tests only: with {@code brokenNoGracePeriod} true, grace periods do not wait for
     * readers, so callbacks (reclamation) may run while readers still stand on the entry. Used to
     * show that the poison detects use after reclaim.
     */
    Rcu(boolean brokenNoGracePeriod) {
        this.brokenNoGracePeriod = brokenNoGracePeriod;
    }

    /** SEEDED BUG, tests only: a domain whose grace periods never wait for readers. */
    static Rcu seededBugWithoutGracePeriods() {
        return new Rcu(true);
    }

    private Reader register() {
        Reader r = new Reader(Thread.currentThread());
        readers.add(r);
        return r;
    }

    /** Enters a read-side critical section (nestable). Never blocks. */
    public void readLock() {
        enter();
    }

    /**
     * Leaves a read-side critical section. Never blocks.
     *
     * @throws IllegalStateException if the calling thread is not inside a read-side section
     */
    public void readUnlock() {
        Reader r = reader.get();
        if (r.nesting == 0) {
            throw new IllegalStateException("readUnlock without a matching readLock");
        }
        exit(r);
    }

    /**
     * {@link #readLock()} that returns the calling thread's reader record, for {@link #exit(Reader)}.
     * The table's get uses this pair: it saves the second ThreadLocal lookup of readUnlock.
     */
    Reader enter() {
        Reader r = reader.get();
        if (r.nesting++ == 0) {
            r.epoch = globalEpoch.get(); // volatile store (store-load fenced): a grace period that started before it and sees it waits for this section
        }
        return r;
    }

    /**
     * {@link #readUnlock()} for a record {@link #enter()} returned to the same thread, inside the
     * section that enter began (the caller guarantees both; nothing is checked).
     */
    void exit(Reader r) {
        if (--r.nesting == 0) {
            EPOCH.setRelease(r, 0L); // release store: every list load of this section happens-before a scan that reads this 0
        }
    }

    /** Whether the calling thread is inside a read-side section of this domain. */
    public boolean inReadSection() {
        return reader.get().nesting > 0;
    }

    /**
     * Waits until every read-side section that had begun before this call has ended
     * ({@code synchronize_rcu}). Uninterruptible; the interrupt status is preserved.
     *
     * @throws IllegalStateException if called inside a read-side section of the calling thread
     */
    public void synchronize() {
        requireOutsideReadSection("synchronize");
        long target = globalEpoch.incrementAndGet(); // the grace period starts now
        awaitGracePeriod(target);
    }

    /**
     * Queues {@code callback} to run after a grace period that starts after this call began
     * ({@code call_rcu}, {@code kfree_rcu}). The callback never runs inside this method. May be
     * called inside a read-side section.
     */
    public void callRcu(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        queueLock.lock();
        try {
            long target = globalEpoch.get() + 1; // volatile load: the next grace period, whose increment comes after this load
            queue.addLast(new Pending(target, callback));
            QUEUED.setOpaque(this, queue.size());
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * {@link #processCallbacks()}, batched: if the last scan found a reader inside a section and
     * fewer than {@link #BATCH} callbacks are queued, returns 0 at once without scanning (see the
     * class comment). Otherwise processes now. Never waits for a grace period.
     *
     * @return how many callbacks ran
     */
    public int processCallbacksBatched() {
        if ((boolean) READERS_BUSY.getOpaque(this) && (int) QUEUED.getOpaque(this) < BATCH) {
            return 0; // wait for the batch: no epoch increment, no scan of the readers' records
        }
        return processCallbacks();
    }

    /**
     * Starts the grace period of the callbacks queued since the last start (one increment, if any
     * is queued), scans the readers once, and runs, in queue order, every queued callback whose
     * grace period has completed; never waits for a grace period. Returns 0 without running
     * anything if another thread is running callbacks at this moment.
     *
     * @return how many callbacks ran
     */
    public int processCallbacks() {
        if (!runLock.tryLock()) {
            return 0;
        }
        try {
            List<Pending> ready;
            queueLock.lock();
            try {
                if (queue.isEmpty()) {
                    return 0;
                }
                long oldest = Long.MAX_VALUE;
                if (!brokenNoGracePeriod) {
                    startGracePeriod(queue.peekLast().target()); // every queued target has started
                    oldest = oldestActiveEpoch();                // the scan, after the start
                    READERS_BUSY.setOpaque(this, oldest != Long.MAX_VALUE);
                }
                ready = takeUpTo(oldest);
            } finally {
                queueLock.unlock();
            }
            runAll(ready);
            return ready.size();
        } finally {
            runLock.unlock();
        }
    }

    /**
     * Waits for the grace periods of all callbacks queued so far and runs them ({@code rcu_barrier}):
     * when it returns, every callback queued before the call has finished running (also those
     * another thread was running). Uninterruptible; the interrupt status is preserved.
     *
     * @throws IllegalStateException if called inside a read-side section of the calling thread
     */
    public void barrier() {
        requireOutsideReadSection("barrier");
        runLock.lock();
        try {
            long last;
            queueLock.lock();
            try {
                last = queue.isEmpty() ? 0 : queue.peekLast().target();
            } finally {
                queueLock.unlock();
            }
            if (last == 0) {
                return;
            }
            startGracePeriod(last);
            awaitGracePeriod(last); // completion of the last target completes every earlier one
            List<Pending> ready;
            queueLock.lock();
            try {
                ready = takeUpTo(last);
            } finally {
                queueLock.unlock();
            }
            runAll(ready);
        } finally {
            runLock.unlock();
        }
    }

    /** Tests: the global epoch now (grace periods started so far, plus 1). */
    long epochForTest() {
        return globalEpoch.get();
    }

    /** How many callbacks are queued and have not run yet. */
    public int pendingCallbacks() {
        queueLock.lock();
        try {
            return queue.size();
        } finally {
            queueLock.unlock();
        }
    }

    /** Test hook: {@code hook} runs once per grace-period wait, when the waiter first has to wait. */
    void setWaitHookForTest(Runnable hook) {
        this.waitHook = hook;
    }

    private void requireOutsideReadSection(String what) {
        if (reader.get().nesting > 0) {
            throw new IllegalStateException(
                    what + " called inside a read-side section of the same thread: it would wait for itself forever");
        }
    }

    /** Spins (then yields) until the grace period with {@code target} has completed. Ignores interrupts. */
    private void awaitGracePeriod(long target) {
        if (brokenNoGracePeriod) {
            return; // SEEDED BUG: no wait at all
        }
        boolean reported = false;
        int spins = 0;
        while (oldestActiveEpoch() < target) {
            if (!reported) {
                reported = true;
                Runnable hook = waitHook;
                if (hook != null) {
                    hook.run();
                }
            }
            if (spins < 1000) {
                spins++;
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * One scan of the registry: the smallest epoch of a reader now inside a section, or
     * {@link Long#MAX_VALUE} if none. A grace period with {@code target} has completed iff
     * {@code target <= oldestActiveEpoch()} at some scan after it started. Drops the records of
     * terminated threads: at once when the Thread object is gone; for a reader seen inside a
     * section, when {@link Thread#isAlive()} says so (asked only then: it is a call into the VM, and
     * a reader outside every section holds up no grace period, so its record can wait for the GC).
     */
    private long oldestActiveEpoch() {
        long oldest = Long.MAX_VALUE;
        for (Iterator<Reader> it = readers.iterator(); it.hasNext(); ) {
            Reader r = it.next();
            long e = r.epoch; // volatile load
            Thread t = r.owner.get();
            if (t == null || (e != 0 && !t.isAlive())) {
                it.remove(); // a terminated thread reads nothing any more
            } else if (e != 0 && e < oldest) {
                oldest = e;
            }
        }
        return oldest;
    }

    /**
     * Starts the grace period {@code target} if the epoch has not reached it yet: increments the
     * global epoch (at most once: a target is at most the epoch read at callRcu plus 1).
     */
    private void startGracePeriod(long target) {
        long g = globalEpoch.get();
        if (g < target) {
            globalEpoch.compareAndSet(g, g + 1); // fails only if another thread incremented it: started anyway
        }
    }

    /** Removes (caller holds queueLock) the queued callbacks with target {@code <= limit}, in queue order. */
    private List<Pending> takeUpTo(long limit) {
        List<Pending> ready = new ArrayList<>();
        while (!queue.isEmpty() && queue.peekFirst().target() <= limit) {
            ready.add(queue.pollFirst());
        }
        QUEUED.setOpaque(this, queue.size());
        return ready;
    }

    /** Runs every callback; the first failure is rethrown at the end, later ones suppressed in it. */
    private static void runAll(List<Pending> ready) {
        Throwable first = null;
        for (Pending p : ready) {
            try {
                p.callback().run();
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                } else {
                    first.addSuppressed(t);
                }
            }
        }
        if (first != null) {
            throw Failures.rethrow(first);
        }
    }
}
