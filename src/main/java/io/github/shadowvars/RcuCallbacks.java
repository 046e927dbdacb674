package io.github.shadowvars;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The callback side of one {@link Rcu} domain (liburcu's {@code call_rcu} queue and its worker,
 * {@code rcu_barrier}): the queue of callbacks and the grace period each waits for, the processing
 * rounds that run the ready ones, {@code barrier}, and the reclaimer that runs what is left on the
 * domain's Executor.
 */
final class RcuCallbacks {
    /*
     * Implementation notes.
     *
     * - callRcu does not increment the epoch: it reads the global epoch g (under queueLock) and
     *   queues the callback with target g + 1, the next grace period to start. Targets therefore
     *   never decrease along the queue; Rcu.advance starts one grace period for every callback
     *   queued since the last start (a freeAll of n entries costs one grace period, not n).
     * - A processing round (under runLock) runs Rcu.advance once under gpLock, then takes, in queue
     *   order, the callbacks whose target <= completed, and runs them, still under runLock.
     *
     * The reclaimer (why an Executor, and not the last reader's exit)
     * A reader's exit is a release store; making it also notice "I was the last reader a grace
     * period waits for" would need a store-load fence on every exit (a Dekker handshake with the
     * scanning writer), doubling the read side's cost. Instead, a processing call that leaves
     * callbacks queued (their grace period held up by a reader, or a concurrent callRcu it did not
     * see) makes sure one reclaimer is active: a task submitted to the domain's Executor that runs
     * one processing round, and, while callbacks stay queued, re-arms itself after a delay that
     * doubles from 10 us to 1 ms (CompletableFuture.delayedExecutor: the JDK's delay thread hands
     * the task back to the executor, so no pool thread is blocked while waiting; like Caffeine's
     * maintenance on ForkJoinPool.commonPool()); the delay thread only calls submitReclaimer, which
     * catches a rejection and clears `reclaimerActive` (an exception thrown on the delay thread
     * would be dropped there). It ends when the queue is empty. At most one is
     * active per domain (`reclaimerActive`, under queueLock). While one is active, writers'
     * processCallbacksBatched returns at once until BATCH callbacks were queued since the last
     * scan (then it re-scans, in case the executor is slow; it never starts a second grace
     * period), so a stream of frees beside a long reader costs one grace period and one scan per
     * BATCH frees.
     * A processing call that loses runLock's tryLock to another one returns at once: the holder
     * re-checks `queued` after unlocking (a volatile write in callRcu, a volatile read after the
     * unlock: if the holder misses the callback, the loser's tryLock would have seen the lock
     * free), and hands what is left to a further round or the reclaimer.
     *
     * Locks (the domain's lock order is in Rcu's class notes): runLock -> Rcu's gpLock ->
     * queueLock; a table's writer lock -> queueLock (callRcu in free); runLock -> any lock a
     * callback takes. runLock is only tryLock'ed except by barrier, which Rcu refuses to run under
     * the writer lock of a table on the domain. Nothing is called on the Executor or the logger
     * with a lock of this class held, except callbacks (runLock).
     */

    /** A queued callback and the grace period (its target epoch) it waits for. */
    private record Pending(long target, Runnable callback) { }

    /** Opaque/volatile access to {@link #queued}, {@link #sinceScan}, {@link #reclaimerActive}. */
    private static final VarHandle QUEUED;
    private static final VarHandle SINCE_SCAN;
    private static final VarHandle RECLAIMER_ACTIVE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            QUEUED = l.findVarHandle(RcuCallbacks.class, "queued", int.class);
            SINCE_SCAN = l.findVarHandle(RcuCallbacks.class, "sinceScan", int.class);
            RECLAIMER_ACTIVE = l.findVarHandle(RcuCallbacks.class, "reclaimerActive", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Reclaimer re-arm delays: from 10 us, doubling, at most 1 ms ({@link Rcu#MAX_PARK_NANOS}). */
    private static final long RECLAIM_MIN_DELAY_NANOS = 10_000;

    /** Queued callbacks in queue order; their targets never decrease (each is the epoch, read under queueLock, plus 1). */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Guards {@link #queue}, {@link #reclaimerActive}; held only for short non-blocking work. */
    private final ReentrantLock queueLock = new ReentrantLock();
    /** Held while a thread runs callbacks, so that barrier() also waits for callbacks another thread is running. */
    private final ReentrantLock runLock = new ReentrantLock();
    /** How many callbacks are queued: written under queueLock (volatile store), read without it. */
    private int queued;
    /** Callbacks queued since the last scan by a processing call (written under queueLock, read opaque). */
    private int sinceScan;
    /** A reclaimer task is submitted or running (written under queueLock, read opaque). */
    private boolean reclaimerActive;
    /** Re-arm delay of the active reclaimer (only the active reclaimer touches it). */
    private long reclaimDelayNanos;
    /** Whether a rejected reclaimer task has been logged at WARNING (later ones go to DEBUG). */
    private final AtomicBoolean rejectionLogged = new AtomicBoolean();

    private final Rcu rcu;
    private final Executor reclaimer;
    private final Logger logger;

    RcuCallbacks(Rcu rcu, Executor reclaimer, Logger logger) {
        this.rcu = rcu;
        this.reclaimer = reclaimer;
        this.logger = logger;
    }

    /** {@code Rcu.callRcu}. */
    void callRcu(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        queueLock.lock();
        try {
            long target = rcu.globalEpoch.get() + 1; // volatile load: the next grace period, whose increment comes after this load
            queue.addLast(new Pending(target, callback));
            SINCE_SCAN.setOpaque(this, sinceScan + 1);
            QUEUED.setVolatile(this, queue.size()); // volatile: a processing call that re-checks after unlocking runLock sees it (class notes)
        } finally {
            queueLock.unlock();
        }
    }

    /** {@code Rcu.processCallbacksBatched}. */
    int processBatched() {
        if ((int) QUEUED.getOpaque(this) == 0) {
            return 0; // nothing queued (the caller's own callRcu is seen: same thread): no lock, no scan
        }
        if ((boolean) RECLAIMER_ACTIVE.getOpaque(this) && (int) SINCE_SCAN.getOpaque(this) < Rcu.BATCH) {
            return 0; // the reclaimer drives the grace period; no scan of the readers' records here
        }
        return process(false);
    }

    /** The newest target of a queued callback (the grace period the last one waits for), or 0 if none is queued. */
    long newestTarget() {
        queueLock.lock();
        try {
            return queue.isEmpty() ? 0 : queue.peekLast().target();
        } finally {
            queueLock.unlock();
        }
    }

    /** {@code Rcu.barrier} once Rcu has checked that the caller may wait. */
    boolean barrier(long start, long timeoutNanos) {
        Throwable failure = null;
        boolean done = false;
        if (lockRunLock(start, timeoutNanos)) {
            try {
                long last = newestTarget();
                // completion of the last target completes every earlier one; a timeout runs nothing
                done = last == 0 || rcu.awaitCompleted(last, start, timeoutNanos);
                if (last != 0 && done) {
                    List<Pending> ready;
                    queueLock.lock();
                    try {
                        ready = takeUpTo(last);
                    } finally {
                        queueLock.unlock();
                    }
                    failure = runAll(ready);
                }
            } finally {
                runLock.unlock();
            }
        }
        afterUnlock(); // callbacks queued meanwhile (or left by a timeout) go to the reclaimer
        if (failure != null) {
            throw Failures.rethrow(failure);
        }
        return done;
    }

    /** @return how many callbacks are queued and have not run yet */
    int pending() {
        queueLock.lock();
        try {
            return queue.size();
        } finally {
            queueLock.unlock();
        }
    }

    /** @return whether a reclaimer task is submitted to the executor or running */
    boolean reclaimerActive() {
        return (boolean) RECLAIMER_ACTIVE.getOpaque(this);
    }

    /**
     * One or two processing rounds on the calling thread, then the reclaimer for what is left.
     * {@code rethrow}: callback failures are rethrown (else logged).
     */
    int process(boolean rethrow) {
        int total = 0;
        Throwable failure = null;
        try {
            for (int round = 0; round < 2; round++) {
                if (!runLock.tryLock()) {
                    return total; // the holder re-checks after unlocking
                }
                boolean blocked;
                try {
                    Round r = round();
                    total += r.ran;
                    failure = Failures.combine(failure, r.failure);
                    blocked = r.blocked;
                } finally {
                    runLock.unlock();
                }
                if ((int) QUEUED.getVolatile(this) == 0) { // volatile load after the unlock (class notes)
                    return total;
                }
                if (blocked) {
                    break; // the reclaimer waits for the reader
                }
            }
            ensureReclaimer();
            return total;
        } finally {
            if (failure != null) {
                if (rethrow) {
                    throw Failures.rethrow(failure);
                }
                logCallbackFailure(failure);
            }
        }
    }

    /** What one processing round did. */
    private record Round(int ran, boolean blocked, Throwable failure) { }

    /** One processing round (caller holds runLock): advance, take what is ready, run it. */
    private Round round() {
        long done;
        boolean blocked = false;
        RcuStallWarnings.Stall stall = null;
        rcu.gpLock.lock();
        try {
            done = rcu.advance();
            blocked = done < rcu.globalEpoch.get();
            stall = rcu.takeStall();
        } finally {
            rcu.gpLock.unlock();
        }
        if (stall != null) {
            rcu.stalls.warn(stall);
        }
        List<Pending> ready;
        queueLock.lock();
        try {
            SINCE_SCAN.setOpaque(this, 0);
            ready = takeUpTo(done);
        } finally {
            queueLock.unlock();
        }
        return new Round(ready.size(), blocked, runAll(ready));
    }

    /** Takes runLock: blocking and uninterruptibly without a timeout, else within it; returns whether it did. */
    private boolean lockRunLock(long start, long timeoutNanos) {
        if (timeoutNanos == Rcu.FOREVER) {
            runLock.lock();
            return true;
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return runLock.tryLock(Math.max(0, Rcu.remaining(start, timeoutNanos)), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // uninterruptible: try again for what is left
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** After releasing runLock: callbacks queued by callers that lost its tryLock go to the reclaimer. */
    private void afterUnlock() {
        if ((int) QUEUED.getVolatile(this) != 0) { // volatile load after the unlock (class notes)
            ensureReclaimer();
        }
    }

    /** Makes sure one reclaimer is active if callbacks are queued. */
    private void ensureReclaimer() {
        queueLock.lock();
        try {
            if (reclaimerActive || queue.isEmpty()) {
                return;
            }
            RECLAIMER_ACTIVE.setOpaque(this, true);
        } finally {
            queueLock.unlock();
        }
        reclaimDelayNanos = 0; // happens-before the task through the executor's submission
        submitReclaimer();
    }

    /**
     * Hands one reclaimer round to the executor. A rejection (here, or on the JDK's delay thread
     * for a re-arm, which calls this method) clears reclaimerActive, so that the next processing
     * call scans at once instead of waiting for BATCH callbacks; it is logged at WARNING once per
     * domain, later ones at DEBUG.
     */
    private void submitReclaimer() {
        try {
            reclaimer.execute(this::reclaimStep);
        } catch (RuntimeException rejected) {
            reclaimerStopped();
            boolean first = !rejectionLogged.getAndSet(true); // atomic: one WARNING however many threads are rejected
            logger.log(first ? Level.WARNING : Level.DEBUG, "RCU reclaimer task rejected by the executor; callbacks"
                    + " wait for the next processing call (a table's next free, processCallbacks, barrier)"
                    + (first ? "; later rejections are logged at DEBUG" : ""), rejected);
        }
    }

    /** The reclaimer: one processing round; re-armed after a growing delay while callbacks stay queued. */
    private void reclaimStep() {
        boolean rearm = false;
        try {
            boolean progressed = false;
            if (runLock.tryLock()) { // else another thread runs callbacks: try again later
                Round r;
                try {
                    r = round();
                } finally {
                    runLock.unlock();
                }
                progressed = r.ran > 0;
                if (r.failure != null) {
                    logCallbackFailure(r.failure);
                }
            }
            queueLock.lock();
            try {
                if (queue.isEmpty()) {
                    RECLAIMER_ACTIVE.setOpaque(this, false); // under queueLock: a later ensureReclaimer sees it
                    return;
                }
            } finally {
                queueLock.unlock();
            }
            reclaimDelayNanos = progressed || reclaimDelayNanos == 0 ? RECLAIM_MIN_DELAY_NANOS
                    : Math.min(Rcu.MAX_PARK_NANOS, 2 * reclaimDelayNanos);
            rearm = true;
        } catch (Throwable unexpected) {
            reclaimerStopped();
            logger.log(Level.ERROR, "RCU reclaimer failed; callbacks wait for the next processing call", unexpected);
            return;
        }
        if (rearm) { // the delay thread runs submitReclaimer itself, so a rejection is caught there, not dropped
            CompletableFuture.delayedExecutor(reclaimDelayNanos, TimeUnit.NANOSECONDS, Runnable::run)
                    .execute(this::submitReclaimer);
        }
    }

    private void reclaimerStopped() {
        queueLock.lock();
        try {
            RECLAIMER_ACTIVE.setOpaque(this, false);
        } finally {
            queueLock.unlock();
        }
    }

    private void logCallbackFailure(Throwable failure) {
        logger.log(Level.ERROR, "RCU callback failed", failure);
    }

    /** Removes (caller holds queueLock) the queued callbacks with target {@code <= limit}, in queue order. */
    private List<Pending> takeUpTo(long limit) {
        List<Pending> ready = new ArrayList<>();
        while (!queue.isEmpty() && queue.peekFirst().target() <= limit) {
            ready.add(queue.pollFirst());
        }
        QUEUED.setVolatile(this, queue.size());
        return ready;
    }

    /** Runs every callback; returns the first failure (later ones suppressed in it), or null. */
    private static Throwable runAll(List<Pending> ready) {
        Throwable first = null;
        for (Pending p : ready) {
            try {
                p.callback().run();
            } catch (Throwable t) {
                first = Failures.combine(first, t);
            }
        }
        return first;
    }
}
