package io.github.shadowvars;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reader registry of one {@link Rcu} domain (liburcu's registry of reader threads,
 * {@code urcu_memb_register_thread}): one record per thread that has entered a read-side section,
 * the grace-period scan over them, and the pruning of the records of ended threads.
 */
final class RcuReaders {
    /*
     * Registry bound
     * Records are removed only under registryLock (so never twice): by pruneEnded(), which a
     * registration runs when the registry has reached pruneAt records, and by the grace-period
     * scan (firstBlocker), which tryLocks it and drops the records it passes whose thread has
     * ended (the weak reference cleared, or Thread.getState() TERMINATED, a field read, confirmed
     * by Thread.isAlive(), a native call made only for ended threads). Both set pruneAt to
     * max(MIN_PRUNE_AT, 2 * records left): amortised O(1) isAlive calls per registration, and no
     * dependence on the GC. Only registration grows the registry, so a read-only workload with
     * thread churn is bounded as well; after a peak of reader threads that end, the next scan
     * (at the latest the next grace period) shrinks it without any registration. A record is
     * dropped only for a thread that has ended, which can enter no section any more.
     *
     * Locks: registryLock is a leaf, only ever tryLock'ed: by a registration (possibly under a
     * table's writer lock, a first read-side section there) and by the scan (under Rcu's gpLock).
     */

    /** One registered thread: its read-side state (the ThreadLocal's value) and the thread, weakly. */
    static final class Reader {
        /** state[EPOCH]: 0 = outside any read-side section, else the global epoch read on outermost entry; state[NESTING]: the depth. */
        final long[] state;
        /** The owner thread, weakly, so that the record does not keep a dead Thread object alive. */
        final WeakReference<Thread> owner;

        Reader(Thread owner, long[] state) {
            this.owner = new WeakReference<>(owner);
            this.state = state;
        }
    }

    /** Opaque access to {@link #pruneAt}. */
    private static final VarHandle PRUNE_AT;

    static {
        try {
            PRUNE_AT = MethodHandles.lookup().findVarHandle(RcuReaders.class, "pruneAt", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The smallest registry size at which a registration prunes the records of ended threads. */
    static final int MIN_PRUNE_AT = 16;

    /** Every registered thread's reader record (appended lock-free; removed only under registryLock). */
    private final ConcurrentLinkedQueue<Reader> readers = new ConcurrentLinkedQueue<>();
    /** How many records {@link #readers} holds. */
    private final AtomicInteger registered = new AtomicInteger();
    /** Registry size at which a registration prunes (opaque: a hint; written under registryLock). */
    private int pruneAt = MIN_PRUNE_AT;
    /** Held (tryLock only) while pruning the registry. */
    private final ReentrantLock registryLock = new ReentrantLock();

    /** Registers the calling thread with read-side state {@code state} (the domain then sets its ThreadLocal). */
    void register(long[] state) {
        Reader r = new Reader(Thread.currentThread(), state);
        readers.add(r); // a CAS on the registry's links: a scan that already read past them does not need r (Rcu's class notes)
        if (registered.incrementAndGet() >= (int) PRUNE_AT.getOpaque(this)) { // opaque: a hint, re-read under registryLock
            pruneEnded();
        }
    }

    /** Drops the records of ended threads; skipped if another thread is pruning right now. */
    private void pruneEnded() {
        if (!registryLock.tryLock()) {
            return;
        }
        try {
            int left = 0;
            for (Iterator<Reader> it = readers.iterator(); it.hasNext(); ) {
                Reader r = it.next();
                Thread t = r.owner.get();
                if (t == null || !t.isAlive()) {
                    it.remove(); // only here, under registryLock: never removed twice
                    registered.decrementAndGet();
                } else {
                    left++;
                }
            }
            PRUNE_AT.setOpaque(this, Math.max(MIN_PRUNE_AT, 2 * left));
        } finally {
            registryLock.unlock();
        }
    }

    /**
     * One scan of the registry for grace period {@code target} (caller holds Rcu's gpLock): a
     * reader inside a section it must wait for ({@code 0 < epoch < target}, thread alive), or null
     * if the grace period has completed. Drops the records of ended threads it passes.
     */
    Reader firstBlocker(long target) {
        boolean prune = registryLock.tryLock(); // never blocks: skipped while a registration prunes
        try {
            for (Iterator<Reader> it = readers.iterator(); it.hasNext(); ) {
                Reader r = it.next();
                long e = (long) Rcu.STATE.getVolatile(r.state, Rcu.EPOCH); // volatile load
                Thread t = r.owner.get();
                if (e != 0 && e < target && t != null && t.isAlive()) { // a terminated thread reads nothing any more
                    return r;
                }
                // getState (a field read) first: isAlive (a native call) only for a thread that has ended
                if (prune && (t == null || t.getState() == Thread.State.TERMINATED && !t.isAlive())) {
                    it.remove(); // under registryLock, as in pruneEnded: never removed twice
                    registered.decrementAndGet();
                }
            }
            if (prune) {
                PRUNE_AT.setOpaque(this, Math.max(MIN_PRUNE_AT, 2 * registered.get()));
            }
        } finally {
            if (prune) {
                registryLock.unlock();
            }
        }
        return null;
    }

    /** @return how many reader records the registry holds */
    int records() {
        return registered.get();
    }
}
