package io.github.shadowvars;

import java.lang.System.Logger;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One userspace RCU domain: read-side critical sections, grace periods and deferred callbacks,
 * the Java stand-in for the kernel's {@code rcu_read_lock}, {@code rcu_read_unlock},
 * {@code synchronize_rcu}, {@code call_rcu}/{@code kfree_rcu} and {@code rcu_barrier}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #readLock()}/{@link #readUnlock()} nest, never block and take no lock;
 *       {@link #readSection()} is the same section for try-with-resources (prefer it: a section
 *       left open holds every later grace period up while its thread lives).</li>
 *   <li>{@link #synchronize()} returns after every read-side section that had begun before the
 *       call has ended. {@link #callRcu(Runnable)} queues a callback that runs after every
 *       read-side section that had begun before the call has ended; it never runs inside callRcu.</li>
 *   <li>Queued callbacks run in queue order, on a thread that calls {@link #processCallbacks()},
 *       {@link #processCallbacksBatched()} or {@link #barrier()}, or on this domain's reclaimer
 *       (the {@link Executor} given to {@link #Rcu(Executor)}; by default
 *       {@link ForkJoinPool#commonPool()}): once a processing call has found that a reader holds
 *       up their grace period, the reclaimer runs them when that reader has left, without any
 *       further call. Nothing else is needed for a callback handed to a processing call to run,
 *       unless the executor rejects the reclaimer's task: then (WARNING, once) the next processing
 *       call runs them.</li>
 *   <li>At most one grace period is in flight at a time; callbacks queued meanwhile wait for the
 *       next one, started when it ends.</li>
 *   <li>The domain keeps one record per thread that has entered a read-side section; records of
 *       ended threads are dropped by every grace-period scan that passes them and when threads
 *       register, so their number stays at most {@code max(16, 2 * L)} plus concurrent
 *       registrations, where L is the number of registered threads alive at the last pruning; no
 *       garbage collection is needed. With virtual threads (a thread per task) that is a record
 *       per task that entered a section (about 120 bytes, and one visit by every scan) until the
 *       first grace-period scan after the thread has ended. {@link #inReadSection()},
 *       {@link #synchronize()} and {@link #barrier()} register nothing. What the domain leaves in
 *       a reader thread (its ThreadLocal's value) is a {@code long[]}, a JDK class: a pooled thread
 *       of a container that outlives the application does not pin the application's class loader.</li>
 *   <li>A grace period that has waited longer than the stall threshold (by default 21 s, the
 *       kernel's {@code CONFIG_RCU_CPU_STALL_TIMEOUT}) logs a WARNING naming a thread that holds
 *       it up and that thread's stack, like the kernel's RCU CPU stall detector, and repeats it
 *       every 3 thresholds (63 s by default) while the grace period stays held up, as the kernel
 *       repeats its warning for the same stall.</li>
 * </ul>
 *
 * <h2>Rules and answers</h2>
 * <ul>
 *   <li>{@link #readUnlock()} without a matching {@link #readLock()}: {@link IllegalStateException}.</li>
 *   <li>{@link #synchronize()} or {@link #barrier()} inside a read-side section of the calling
 *       thread: {@link IllegalStateException} (the wait could never end: it waits for the caller);
 *       likewise while the calling thread holds the writer lock of a table on this domain (from a
 *       constructor or destructor), which could deadlock against a callback that needs that lock.</li>
 *   <li>Waiting is uninterruptible, like the kernel's {@code synchronize_rcu}: an interrupt does
 *       not stop the wait and the thread's interrupt status is preserved, not cleared. The way out
 *       of a wait a reader holds up is a timeout: {@link #synchronize(Duration)} and
 *       {@link #barrier(Duration)} return false when it runs out (callbacks still run only after
 *       their grace periods). A waiter
 *       spins briefly, then yields, then parks for growing times (at most 1 ms): a long wait does
 *       not keep a core busy.</li>
 *   <li>Failing callbacks: the others still run. {@link #processCallbacks()} and {@link #barrier()}
 *       rethrow the first failure at the end, later ones suppressed in it.
 *       {@link #processCallbacksBatched()} (what a table calls after each free) and the reclaimer
 *       never throw a callback's failure: they log it at ERROR on this domain's logger, so that a
 *       callback queued by someone else does not fail the caller's operation.</li>
 * </ul>
 * A domain holds no static state: several domains are fully independent.
 */
public final class Rcu {
    /*
     * The read-side protocol, to read beside liburcu's urcu-memb (urcu_memb_read_lock/unlock,
     * urcu_memb_synchronize_rcu) or the kernel's Tree RCU docs. Grace periods follow below
     * (advance); the rest of the domain is beside this file: RcuCallbacks (call_rcu's queue,
     * rcu_barrier, the reclaimer), RcuReaders (the registry of reader threads, its pruning),
     * RcuStallWarnings (the stall detector).
     * - A global epoch counter, starting at 1, only ever incremented, only under gpLock.
     *   Incrementing it to g starts grace period g.
     * - Every thread that enters a read-side section gets a record in the registry (RcuReaders)
     *   and its state, a long[2] (the ThreadLocal `reader`'s value): state[EPOCH], accessed
     *   through STATE, is 0 while the thread is outside any read-side section, otherwise the global
     *   epoch it read when it entered its outermost section. Sections nest (state[NESTING], the
     *   owner's only); only the outermost lock and unlock touch the epoch.
     * - readLock stores epoch = globalEpoch (volatile); readUnlock stores epoch = 0 (release).
     * - Grace period g has completed once a scan of the registry, made after the increment to g,
     *   finds every reader with epoch == 0 (outside) or epoch >= g (entered after the start).
     * - callRcu does not increment: it reads the global epoch g and queues the callback with
     *   target g + 1, the next grace period to start. synchronize does the same for itself
     *   (`wanted`). The increment to g + 1 comes after that read (the counter only grows), so that
     *   grace period starts after everything the caller did before.
     *
     * Why a grace period protects an unlinked entry
     * Every access the argument relies on but one is a volatile access (the reader's epoch store on
     * entry, its loads of list links, the writer's unlinking store, the epoch increment, the writer's
     * loads of the readers' epochs, the registry's links), and volatile accesses are sequentially
     * consistent in the Java memory model: they form one total order consistent with each thread's
     * program order, and each volatile load sees the last store to that variable before it in that
     * order. So the table's link loads (headAt, Entry.next) and its unlinking store must stay
     * volatile: a getAcquire after the entry store may be satisfied before it, and an opaque or
     * release store is in no total order with the scan (proofs-notes.md, the porting table). The exception is the store of 0 on exit: a release store, which is enough because the
     * only thing it must order is "every load of the section before the store", and a scan that
     * reads that 0 with a volatile (acquire) load then sees everything the section did as
     * happened-before; it is ordered after the same thread's earlier volatile entry store
     * (coherence), so a scan cannot read an older 0 once the entry store is visible. The entry
     * store must stay a volatile (store-load fenced) store: the section's list loads must not move
     * before it. A writer unlinks an entry, then calls callRcu, whose volatile read of the epoch g
     * fixes target g + 1; the increment to g + 1 comes after that read in the total order, so after
     * the unlink; every scan that can complete grace period g + 1 runs under gpLock after the
     * increment (same thread, or a later holder of gpLock), so after it. Take any reader whose
     * scan result let the grace period complete:
     * - seen with epoch == 0: either its section ended before the scan (its unlock store of 0 comes
     *   before the scan's load, so all its loads of the list did too: the writer may reclaim), or
     *   its section's epoch store comes after the scan's load in the total order, so all of that
     *   section's list loads come after the unlink and cannot reach the unlinked entry;
     * - seen with epoch >= target: it read the global epoch after the increment, so after the unlink;
     * - a reader whose record was not in the registry yet registers (a CAS on the registry's links)
     *   after the scan read those links, hence enters after the unlink as well.
     * Readers seen with 0 < epoch < target may have entered before the unlink; the grace period
     * waits for them. Waiting for a reader that entered just after the start (it read the old epoch
     * but stored it late) is conservative, never wrong. A registered thread that has terminated
     * cannot read anything any more (Thread.isAlive() returning false gives the needed
     * happens-before), so a scan ignores a dead thread's record even if it died inside a section (a
     * caller bug, forgiven rather than blocking grace periods forever). The epoch is a long: 2^63
     * grace periods before it could wrap.
     */

    /** Slots of a thread's read-side state: the epoch (through {@link #STATE} only) and the nesting depth (plain, owner only). */
    static final int EPOCH = 0, NESTING = 1;
    /** A read-side state's epoch slot: volatile entry store and scan loads, release store on exit. */
    static final VarHandle STATE = MethodHandles.arrayElementVarHandle(long[].class);

    /** The global epoch; starts at 1 so that 0 can mean "outside any section". Written only under gpLock. */
    final AtomicLong globalEpoch = new AtomicLong(1);
    /**
     * The calling thread's read-side state; null until its first read-side section. Its value is a
     * JDK type on purpose: a thread that outlives the application (a container's pooled thread)
     * then holds no class of this library, so it does not pin the application's class loader; the
     * record, which names the thread, is held by the domain only.
     */
    private final ThreadLocal<long[]> reader = new ThreadLocal<>();
    /** The registry of reader threads. */
    private final RcuReaders readers = new RcuReaders();

    // ---------------------------------------------------------------- read side

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
        long[] state = reader.get();
        if (state == null || state[NESTING] == 0) {
            throw new IllegalStateException("readUnlock without a matching readLock");
        }
        exit(state);
    }

    /**
     * {@link #readLock()} that returns the calling thread's read-side state, for {@link #exit(long[])}.
     * The table's get uses this pair: it saves the second ThreadLocal lookup of readUnlock.
     */
    long[] enter() {
        long[] state = reader.get();
        if (state == null) {
            state = register();
        }
        if (state[NESTING]++ == 0) {
            STATE.setVolatile(state, EPOCH, globalEpoch.get()); // volatile store (store-load fenced): a grace period that started before it and sees it waits for this section
        }
        return state;
    }

    /**
     * {@link #readUnlock()} for a state {@link #enter()} returned to the same thread, inside the
     * section that enter began (the caller guarantees both; nothing is checked).
     */
    void exit(long[] state) {
        if (--state[NESTING] == 0) {
            STATE.setRelease(state, EPOCH, 0L); // release store: every list load of this section happens-before a scan that reads this 0
        }
    }

    private long[] register() {
        long[] state = new long[2];
        readers.register(state); // adds the record with a CAS on the registry's links (class notes)
        reader.set(state);
        return state;
    }

    /**
     * Enters a read-side critical section (nestable) that {@link ReadSection#close()} leaves: for
     * try-with-resources, so that no path out of the block, an exception included, leaves the
     * section open (a leaked section holds every later grace period up for as long as its thread
     * lives). Never blocks.
     * <pre>{@code
     * try (Rcu.ReadSection section = rcu.readSection()) {
     *     ... // read
     * }
     * }</pre>
     *
     * @return the section, to close on this thread
     */
    public ReadSection readSection() {
        return new ReadSection(this, enter());
    }

    /**
     * A read-side critical section entered by {@link #readSection()}: {@link #close()} leaves it.
     * Mixes freely with {@link #readLock()}/{@link #readUnlock()} (sections nest either way).
     */
    public static final class ReadSection implements AutoCloseable {
        private final Rcu rcu;
        private final long[] state;
        private final Thread owner = Thread.currentThread();
        private boolean closed;

        private ReadSection(Rcu rcu, long[] state) {
            this.rcu = rcu;
            this.state = state;
        }

        /**
         * Leaves the section; a second call does nothing (as {@link java.io.Closeable#close()}).
         *
         * @throws IllegalStateException if called on another thread than the one that opened it
         *                               (the section is left as it was)
         */
        @Override
        public void close() {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a read-side section must be closed by the thread that opened it ("
                        + owner.getName() + "), not by " + Thread.currentThread().getName());
            }
            if (!closed) {
                closed = true;
                rcu.exit(state);
            }
        }
    }

    /** @return whether the calling thread is inside a read-side section of this domain */
    public boolean inReadSection() {
        long[] state = reader.get();
        return state != null && state[NESTING] > 0;
    }

    // ---------------------------------------------------------------- grace periods

    /*
     * Grace periods. `completed` (under gpLock) is the newest grace period known to have
     * completed; one is in flight iff completed < epoch, so at most one is in flight: while one
     * is, drivers re-scan instead of starting another.
     * - advance() (under gpLock) is the one state machine every driver runs: if a grace period is
     *   in flight, scan; if that completes it, or none was in flight, and a queued callback or a
     *   synchronize wants a newer one, start it (one increment for every callback queued since
     *   the last start: a freeAll of n entries costs one grace period, not n) and scan once.
     * - Drivers: processCallbacks/processCallbacksBatched (one advance, never wait), barrier and
     *   synchronize (advance until their target has completed, backing off in between), and the
     *   reclaimer (RcuCallbacks). Callbacks whose target <= completed run in queue order under runLock.
     */

    /** Guards the grace-period state: completed, wanted, the stall warnings' state; every increment and scan. */
    final ReentrantLock gpLock = new ReentrantLock();
    /** The newest grace period known to have completed (under gpLock). */
    private long completed = 1;
    /** The newest grace period a synchronize waits for (under gpLock). */
    private long wanted = 1;

    /**
     * Waits until every read-side section that had begun before this call has ended
     * ({@code synchronize_rcu}). Uninterruptible; the interrupt status is preserved.
     *
     * @throws IllegalStateException if called inside a read-side section of the calling thread,
     *                               or while it holds the writer lock of a table on this domain
     */
    public void synchronize() {
        synchronize(System.nanoTime(), FOREVER);
    }

    /**
     * {@link #synchronize()} that gives up after {@code timeout}, as {@code CountDownLatch.await}
     * does: returns false if a read-side section that had begun before the call is still open
     * then. Giving up changes nothing for callbacks: each still runs only after its own grace
     * period. Uninterruptible like {@link #synchronize()}: an interrupt does not end the wait, and
     * the interrupt status is preserved. A zero or negative timeout scans once.
     *
     * @param timeout how long to wait at most
     * @return true if every such section has ended, false if the time ran out first
     * @throws NullPointerException  if timeout is null
     * @throws IllegalStateException if called inside a read-side section of the calling thread,
     *                               or while it holds the writer lock of a table on this domain
     */
    public boolean synchronize(Duration timeout) {
        return synchronize(System.nanoTime(), nanos(timeout));
    }

    private boolean synchronize(long start, long timeoutNanos) {
        requireMayWait("synchronize");
        long target = globalEpoch.get() + 1; // volatile load: the next grace period, whose increment comes after this load
        gpLock.lock();
        try {
            if (wanted < target) {
                wanted = target; // kept after a timeout: that grace period still starts and ends; nothing waits on it
            }
        } finally {
            gpLock.unlock();
        }
        return awaitCompleted(target, start, timeoutNanos);
    }

    /**
     * The grace-period state machine (caller holds gpLock); returns {@link #completed}. If a grace
     * period is in flight, scans; if none is (any more) and a queued callback or a synchronize
     * wants a newer one, starts it and scans once.
     */
    long advance() {
        long g = globalEpoch.get();
        if (completed < g) {
            if (firstBlocker(g) != null) {
                return completed; // still in flight: re-scanned, no new grace period
            }
            completed = g;
        }
        long need = Math.max(wanted, callbacks.newestTarget()); // newestTarget: 0 if none is queued
        if (need > completed) { // need == g + 1: targets are at most the epoch plus 1
            globalEpoch.set(g + 1); // volatile store: grace period g + 1 starts; every later scan comes after it
            if (firstBlocker(g + 1) == null) {
                completed = g + 1;
            }
        }
        return completed;
    }

    /**
     * One scan of the registry for grace period {@code target} (caller holds gpLock): a reader
     * inside a section it must wait for, or null if the grace period has completed. Records the
     * blocker for stall detection.
     */
    private RcuReaders.Reader firstBlocker(long target) {
        RcuReaders.Reader blocker = readers.firstBlocker(target);
        stalls.scanned(target, blocker);
        return blocker;
    }

    /** Under gpLock, after advance: the stall to warn about, or null (RcuStallWarnings). */
    RcuStallWarnings.Stall takeStall() {
        return stalls.take(globalEpoch.get(), completed);
    }

    /**
     * Advances grace periods until {@code target} has completed, backing off between scans, or
     * until {@code timeoutNanos} (from {@code start}, System.nanoTime) have passed: returns whether
     * it completed. Scans at least once. Uninterruptible; the interrupt status is preserved.
     */
    boolean awaitCompleted(long target, long start, long timeoutNanos) {
        boolean interrupted = false;
        int rounds = 0;
        try {
            while (true) {
                RcuStallWarnings.Stall stall;
                gpLock.lock();
                try {
                    if (advance() >= target) {
                        return true;
                    }
                    stall = takeStall();
                } finally {
                    gpLock.unlock();
                }
                if (stall != null) {
                    stalls.warn(stall);
                }
                long left = remaining(start, timeoutNanos);
                if (left <= 0) {
                    return false;
                }
                interrupted |= backOff(rounds++, left);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt(); // restore the status parking had to clear
            }
        }
    }

    /** Nanoseconds left of a wait of {@code timeoutNanos} begun at {@code start}; {@link #FOREVER} never runs out. */
    static long remaining(long start, long timeoutNanos) {
        return timeoutNanos == FOREVER ? FOREVER : timeoutNanos - (System.nanoTime() - start);
    }

    /** A timeout as nanoseconds, saturated (a Duration beyond 292 years is {@link #FOREVER}). */
    private static long nanos(Duration timeout) {
        return TimeUnit.NANOSECONDS.convert(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * One pause of a waiter: spins, then yields, then parks for doubling times up to 1 ms, at most
     * {@code left} ns. Returns whether it cleared an interrupt (parkNanos would return at once
     * while it is set).
     */
    private boolean backOff(int round, long left) {
        if (round < 100) {
            Thread.onSpinWait();
            return false;
        }
        if (round < 110) {
            Thread.yield();
            return false;
        }
        int doublings = Math.min(round - 110, 10);
        LockSupport.parkNanos(this, Math.min(left, Math.min(MAX_PARK_NANOS, 1_000L << doublings)));
        return Thread.interrupted();
    }


    // ---------------------------------------------------------------- the domain

    /*
     * Lock order (every lock of the domain, and the table's):
     *   table writer lock -> queueLock                  (callRcu in free, under the table lock)
     *   table writer lock -> registryLock (tryLock)     (a first read-side section under the lock)
     *   runLock -> gpLock -> queueLock                  (processing, barrier)
     *   gpLock -> registryLock (tryLock)                (the scan prunes the records of ended threads)
     *   runLock -> any lock a callback takes            (callbacks run under runLock)
     * gpLock is here; queueLock and runLock are RcuCallbacks', registryLock is RcuReaders'.
     * registryLock and the monitor of tableLocks are leaves (registryLock only ever tryLock'ed); runLock is only tryLock'ed except by barrier,
     * which refuses to run under the writer lock of a table on this domain (each table registers
     * its lock: registerTableLock), so "table lock -> runLock (blocking)" never happens. Nothing is called on the
     * Executor or the logger with a lock of the domain held, except callbacks (runLock). Stack
     * traces for stall warnings are taken outside every lock.
     */

    /**
     * While a reclaimer is active, how many callbacks queued since the last scan make
     * {@link #processCallbacksBatched()} scan again itself: 64 frees share one scan.
     */
    public static final int BATCH = 64;
    /** Default stall threshold: the kernel's CONFIG_RCU_CPU_STALL_TIMEOUT, 21 s. */
    static final long DEFAULT_STALL_NANOS = TimeUnit.SECONDS.toNanos(21);
    /** A waiter's longest park, and the reclaimer's longest re-arm delay: 1 ms. */
    static final long MAX_PARK_NANOS = 1_000_000;
    /** The timeout of the untimed waits (a Duration converted to more nanoseconds saturates to it as well). */
    static final long FOREVER = Long.MAX_VALUE;

    /** call_rcu's queue, barrier and the reclaimer. */
    private final RcuCallbacks callbacks;
    /** The stall detector's state (under gpLock) and its WARNINGs. */
    final RcuStallWarnings stalls;
    /**
     * The writer locks of the tables on this domain, weakly held (a dropped table's lock goes with
     * it; the map drops cleared entries as it is used). Guarded by itself; registration is O(1).
     */
    private final Map<TableLock, Boolean> tableLocks = new WeakHashMap<>();

    /** A new, independent RCU domain whose reclaimer runs on {@link ForkJoinPool#commonPool()}. */
    public Rcu() {
        this(ForkJoinPool.commonPool());
    }

    /**
     * A new, independent RCU domain whose reclaimer runs on {@code reclaimer}. Each task it is
     * given is short and never blocks; an executor that runs tasks on the calling thread is
     * allowed (the reclaimer then runs one round inside the processing call that found work left).
     * If the executor rejects a task (also a re-arm, which the JDK's delay thread submits), the
     * reclaimer stops, a WARNING is logged (once per domain) and callbacks wait for the next
     * processing call: a table's next free, {@link #processCallbacks()} or {@link #barrier()}.
     *
     * @param reclaimer runs the domain's reclamation rounds
     */
    public Rcu(Executor reclaimer) {
        this(reclaimer, System::nanoTime, DEFAULT_STALL_NANOS, System.getLogger(Rcu.class.getName()));
    }

    /** Everything injectable (tests): the reclaimer, the stall clock and threshold, the logger. */
    Rcu(Executor reclaimer, LongSupplier clock, long stallNanos, Logger logger) {
        Objects.requireNonNull(reclaimer, "reclaimer");
        this.stalls = new RcuStallWarnings(clock, stallNanos, logger);
        this.callbacks = new RcuCallbacks(this, reclaimer, logger);
    }

    /**
     * Queues {@code callback} to run after a grace period that starts after this call began
     * ({@code call_rcu}, {@code kfree_rcu}). The callback never runs inside this method. May be
     * called inside a read-side section.
     *
     * @param callback what to run after the grace period
     */
    public void callRcu(Runnable callback) {
        callbacks.callRcu(callback);
    }

    /**
     * {@link #processCallbacks()} for a table's writer after each free: returns 0 at once if
     * nothing is queued, or while the reclaimer is active and fewer than {@link #BATCH} callbacks
     * were queued since the last scan; never waits; never throws a callback's failure (it is
     * logged at ERROR on this domain's logger).
     *
     * @return how many callbacks ran on the calling thread
     */
    public int processCallbacksBatched() {
        return callbacks.processBatched();
    }

    /**
     * Advances the grace periods (scans the readers once if one is in flight; starts the next one,
     * with one increment, if callbacks wait for it and none is in flight, and scans once more),
     * and runs, in queue order, every queued callback whose grace period has completed; never
     * waits for a grace period. Returns 0 without running anything if another thread is running
     * callbacks at this moment. Callbacks left queued are handed to the reclaimer.
     *
     * @return how many callbacks ran on the calling thread
     */
    public int processCallbacks() {
        return callbacks.process(true);
    }

    /**
     * Waits for the grace periods of all callbacks queued so far and runs them ({@code rcu_barrier}):
     * when it returns, every callback queued before the call has finished running (also those
     * another thread was running). Uninterruptible; the interrupt status is preserved.
     *
     * @throws IllegalStateException if called inside a read-side section of the calling thread,
     *                               or while it holds the writer lock of a table on this domain
     */
    public void barrier() {
        barrier(System.nanoTime(), FOREVER);
    }

    /**
     * {@link #barrier()} that gives up after {@code timeout}: returns false if the grace periods of
     * the callbacks queued before the call have not all ended by then (a reader holds one up), or
     * another thread runs callbacks for longer; the callbacks then stay queued, none runs before
     * its grace period, and the reclaimer runs them when it ends. Uninterruptible like
     * {@link #barrier()}: an interrupt does not end the wait, and the interrupt status is preserved.
     * A zero or negative timeout tries once.
     *
     * @param timeout how long to wait at most
     * @return true if every callback queued before the call has run, false if the time ran out first
     * @throws NullPointerException  if timeout is null
     * @throws IllegalStateException if called inside a read-side section of the calling thread,
     *                               or while it holds the writer lock of a table on this domain
     */
    public boolean barrier(Duration timeout) {
        return barrier(System.nanoTime(), nanos(timeout));
    }

    private boolean barrier(long start, long timeoutNanos) {
        requireMayWait("barrier");
        return callbacks.barrier(start, timeoutNanos);
    }

    /** @return how many callbacks are queued and have not run yet */
    public int pendingCallbacks() {
        return callbacks.pending();
    }

    // ---------------------------------------------------------------- for the tables on this domain

    /**
     * A table on this domain has writer lock {@code lock}; {@link #barrier()} and
     * {@link #synchronize()} refuse to run while the calling thread holds it. Costs the table's
     * writers nothing: the check is made by the waiting call, over the registered locks.
     */
    void registerTableLock(TableLock lock) {
        synchronized (tableLocks) {
            tableLocks.put(lock, Boolean.TRUE);
        }
    }

    // ---------------------------------------------------------------- monitoring

    /** @return how many grace periods this domain has started (a cost figure, like the kernel's rcu_gp counters) */
    public long gracePeriodsStarted() {
        return globalEpoch.get() - 1;
    }

    /** @return how many reader records the registry holds (one per registered thread, ended ones until pruned) */
    public int readerRecords() {
        return readers.records();
    }

    /** @return whether a reclaimer task is submitted to the executor or running */
    public boolean reclaimerActive() {
        return callbacks.reclaimerActive();
    }

    // ---------------------------------------------------------------- internals

    private void requireMayWait(String what) {
        if (inReadSection()) {
            throw new IllegalStateException(
                    what + " called inside a read-side section of the same thread: it would wait for itself forever");
        }
        if (holdsTableLock()) {
            throw new IllegalStateException(what + " called while the thread holds the writer lock of a table on this"
                    + " RCU domain (from a constructor or destructor): it could deadlock against a callback that needs"
                    + " that lock");
        }
    }

    private boolean holdsTableLock() {
        synchronized (tableLocks) {
            for (TableLock lock : tableLocks.keySet()) {
                if (lock.isHeldByCurrentThread()) {
                    return true;
                }
            }
        }
        return false;
    }
}
