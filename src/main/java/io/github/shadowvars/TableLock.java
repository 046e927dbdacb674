package io.github.shadowvars;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * klp_shadow_lock: a test-and-set lock that spins briefly before it parks, as the kernel's
 * spinlock spins (a table's critical sections are short: a bucket walk and two stores, unless a
 * constructor or destructor runs long). Not re-entrant; not fair: a thread arriving at the
 * moment the lock is released may take it ahead of threads spinning or parked, any number of
 * times (no FIFO hand-off: on 2 cores a FIFO lock hands the lock to a waiter that has no core,
 * and every other thread waits for it). Safety does not depend on fairness (the spec's lock is
 * test-and-set too).
 *
 * <p>The queue of parked threads is {@link AbstractQueuedSynchronizer}'s; this class adds the
 * barging acquisition and the bounded spin. State 0 = free, 1 = held; the owner is recorded for
 * {@link #isHeldByCurrentThread()} (re-entry detection, and the RCU domain's check).
 */
final class TableLock extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    /** Spins (each a load and a {@link Thread#onSpinWait()}) before a waiting thread parks. */
    static final int SPINS = 128;

    /** spin_lock: take the lock, spinning briefly, then parking, while another thread holds it. */
    void lock() {
        if (compareAndSetState(0, 1)) {                   // test-and-set: a volatile CAS, the acquire
            setExclusiveOwnerThread(Thread.currentThread());
        } else {
            lockContended();
        }
    }

    /**
     * lock's slow path: spin briefly, then park. Kept out of lock so that lock (24 bytes of
     * bytecode) stays under C2's MaxInlineSize and is inlined wherever spinLock is: not inlined, the
     * call before freeAll's walk of every bucket cost the walk 28 % in most JVMs (BENCHMARKS.md).
     */
    private void lockContended() {
        for (int i = 0; i < SPINS; i++) {
            Thread.onSpinWait();
            if (getState() == 0 && tryAcquire(1)) {       // volatile load first: spin on a shared line, CAS once free
                return;
            }
        }
        acquire(1);                                       // park in the queue; tryAcquire again when woken
    }

    /** spin_unlock: the holder releases the lock and wakes a parked thread, if any. */
    void unlock() {
        release(1);
    }

    /** @return whether the calling thread holds this lock */
    boolean isHeldByCurrentThread() {
        // Plain load: only the holder writes its own Thread here, and it clears it before releasing,
        // so the calling thread reads itself only if it holds the lock (as ReentrantLock does).
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    @Override
    protected boolean tryAcquire(int unused) {
        if (compareAndSetState(0, 1)) {                   // volatile CAS: acquires what the last holder released
            setExclusiveOwnerThread(Thread.currentThread()); // plain store, read by this thread only (see above)
            return true;
        }
        return false;
    }

    @Override
    protected boolean tryRelease(int unused) {
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException("the table lock is not held by this thread");
        }
        setExclusiveOwnerThread(null);                    // plain store, before the release below
        setState(0);                                      // volatile store: releases the critical section's writes
        return true;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }
}
