package io.github.shadowvars;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Shadow variables: data attached to objects whose class cannot change, keyed by
 * {@code <obj, id>}; the Java reference of the Linux kernel's livepatch shadow variables
 * ({@code kernel/livepatch/shadow.c}). {@code obj} is non-null and compared by identity;
 * {@code id} is any {@code long}; at most one variable exists per key.
 *
 * <p>{@link #get} never blocks. Writers serialise on one lock per table; constructors and
 * destructors run under it: they must not call a writer of any table for a key that needs the
 * lock ({@link IllegalStateException}, tables unchanged: C has one lock for every variable), and
 * they delay writers, never readers.
 * By default a removed variable is left to the garbage collector, which keeps it while a reader
 * holds it; given an {@link Rcu} domain, readers enter read-side sections and a removed variable
 * is reclaimed (poisoned) after a grace period, as in C: the checked flavour, the model for ports.
 *
 * <p>Size: the table does not grow (as the kernel's). The default 2^12 buckets suit up to a few
 * thousand live variables; for more, size it: {@code new ShadowVariables(ShadowVariables.bucketBitsFor(n))}
 * for n variables at once. Unsized, 100,000 live variables make chains of about 24 entries and a
 * get several times slower than a map's (BENCHMARKS.md). A table holding more than 8 variables per
 * bucket on average logs one WARNING naming the count and this constructor.
 *
 * <p>Memory consistency effects: actions in a thread before it creates a variable, including its
 * constructor's writes, <i>happen-before</i> actions following a {@code get}, {@code alloc} or
 * {@code getOrAlloc} in another thread that returns its data. A {@code get} concurrent with a
 * {@code free} of the key may still return the data; as in C, the caller must not use it after.
 *
 * <p>Faults: an allocation failure or a constructor error code returns null, nothing published;
 * a constructor's exception reaches the caller, nothing published; a destructor's exception does
 * not stop the removal (freeAll throws the first, later ones suppressed). Nothing is
 * interruptible. No {@code close()}: stop calling, {@link #barrier()}, drop the table; variables
 * still in it get no destructor call.
 *
 * <p>Weak keys ({@link Keys#WEAK}): a variable does not keep its object alive. Once the collector
 * has cleared the object, its variables are gone: {@code get} no longer finds them, and the next
 * write (alloc, getOrAlloc that creates, free, freeAll) or {@link #expunge()} unlinks them under the
 * lock, with no destructor call; {@code get} never does. Data that refers to its own object keeps
 * that object alive.
 */
public sealed class ShadowVariables permits TracedShadowVariables {
    /*
     * Implementation notes.
     *
     * Each C function is a method of the same stem; each C step that matters is one commented
     * line, numbered as in c-semantics.md and tagged [label] with the atomic step of
     * spec/Shadow.tla it implements (README: the mapping table). freeAll reads an entry's next
     * link before unlinking it, where C reads it after kfree_rcu: the same value (nothing changes
     * it under the lock), and the Java lock holder is not an RCU reader (in C, disabled
     * interrupts make it one), so reading it first keeps it clear of the reclamation.
     *
     * Table: singly linked buckets, newest first, indexed by the identity hash. An unlinked entry
     * keeps its next link, so a reader standing on it goes on. A speculative entry never
     * published (lost race, failed constructor) is left to the GC: C's plain kfree.
     *
     * Memory ordering, by kernel primitive (the helpers at the end name each access mode):
     *   rcu_dereference    headAt and nextOf: volatile loads, not mere acquire loads: Rcu's
     *                      grace-period argument needs them and the unlink in the synchronization order.
     *   rcu_assign_pointer the entry's fields and next link are plain stores; the head store is
     *                      volatile and releases them, and the constructor's writes, to readers.
     *   hash_del_rcu       one volatile store to the predecessor's link (volatile: same reason).
     *   kfree_rcu          rcu.callRcu after the unlink; without a domain, nothing: the GC frees
     *                      the entry once no reader can reach it.
     *   rcu_read_lock      rcu.enter: the one store-load fence a get pays (none without a domain).
     *   weak keys          a WeakKey is written before publication (released by the head store);
     *                      WeakKey.get() (Reference.get) sees the object or null, never another;
     *                      ReferenceQueue.poll, under the lock: a volatile load, its lock if not empty.
     *
     * Locking: klp_shadow_lock is a TableLock (test-and-set, spins briefly, then parks; not fair).
     * A writer about to take it while holding it, or inside any table's ctor/dtor (UserCode: C's
     * lock is global), throws: the kernel would deadlock. Lock order: table lock, then the domain's
     * queue lock; callbacks run after the table lock is released; the domain refuses barrier and
     * synchronize to a thread holding a table lock. Poison, the KASAN stand-in: reclaim() sets
     * `reclaimed`, overwrites data and keeps obj (a reader past the check matches and hits the
     * poison, instead of returning null silently).
     *
     * Weak keys: the entry's obj field holds a WeakKey (a WeakReference to the object, with its
     * bucket: the identity hash is gone with the object), registered with the table's queue. A
     * stale entry (linked, its object cleared) is unlinked only under the lock, by expunge: the
     * steps of klp_shadow_free_all without the destructor ([x_walk], [x_del], [x_kfree_rcu]), run
     * by expunge() between its own lock and unlock ([x_lock], [x_unlock]) and by every write right
     * after its lock. Its walk looks for the polled key's entry in its bucket, so an entry already
     * unlinked (by free, freeAll or an earlier expunge) is skipped: unlinked at most once. The queue
     * lags the collector (the reference handler fills it): a cleared key not yet enqueued waits. A reader racing an expunge is a reader racing a free: the entry keeps its next
     * link and is reclaimed after a grace period; its WeakKey.get() returns null or the object,
     * never another one, so the reader matches only its own key.
     *
     * Tracing: none here, as shadow.c carries none. The primitives at the end (head and link
     * loads, hashAddRcu, hashDelRcu, the lock, the read side, kzalloc, kfree, kfreeRcu and its
     * callback, the ctor and dtor calls) are package-private methods that TracedShadowVariables,
     * the one subclass (sealed), overrides to report their events to a Tracer, as the C check's
     * shims wrap the kernel's; it also overrides each operation's entry (get, alloc, getOrAlloc)
     * or body (klpShadowFree, klpShadowFreeAll, klpShadowExpunge) for its call and its one return
     * point. A program that never loads the subclass pays nothing: the JIT binds every primitive
     * call to the method here by class hierarchy analysis and inlines it (bench/run tracer
     * measures it against a copy where this class is final and the subclass gone).
     */

    /** The kernel's table size: 2^12 buckets. */
    public static final int DEFAULT_BUCKET_BITS = 12;

    private static final Object POISON = new Object();

    /** One shadow variable ({@code struct klp_shadow}). */
    static final class Entry {      // package-private: a trace recorder reads obj and id from it, as C's from the entry's memory
        Object obj;                 // written before publication; kept when reclaimed (see reclaim); weak keys: a WeakKey
        long id;                    // written before publication
        Object data;                // POISON once reclaimed
        volatile Entry next;        // kept when unlinked; volatile, not acquire (notes: Rcu's argument)
        volatile boolean reclaimed; // the poison: set by the RCU callback, loaded by every walk

        static final VarHandle NEXT, RECLAIMED;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                NEXT = l.findVarHandle(Entry.class, "next", Entry.class);
                RECLAIMED = l.findVarHandle(Entry.class, "reclaimed", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        Entry(Object data) {
            this.data = data;
        }
    }

    /** A weak table's hold on an entry's object (Entry.obj), its bucket kept; walks compare it by refersTo (get() makes a strong reference G1 records while marking). */
    static final class WeakKey extends WeakReference<Object> {
        final int bucket;
        WeakKey(Object obj, int bucket, ReferenceQueue<Object> queue) { super(obj, queue); this.bucket = bucket; }
    }

    private final AtomicReferenceArray<Entry> buckets;
    private final int mask;
    private final Rcu rcu;                                        // null: removed entries left to the GC
    private final AllocationFaults faults;
    private final TableLock lock = new TableLock();              // klp_shadow_lock
    private final Counters counters;
    private final Logger logger;
    private final boolean weak;                                   // Keys.WEAK: Entry.obj holds a WeakKey
    private final ReferenceQueue<Object> collected;               // weak: the keys the collector cleared; else null

    /**
     * A table of 2^12 buckets (the kernel's) whose removed variables are left to the garbage
     * collector: for up to a few thousand live variables; for more, {@link #ShadowVariables(int)}
     * with {@link #bucketBitsFor(long)}.
     */
    public ShadowVariables() {
        this(DEFAULT_BUCKET_BITS);
    }

    /**
     * A table of {@code 2^bucketBits} buckets whose removed variables are left to the GC; it does
     * not grow: {@code new ShadowVariables(ShadowVariables.bucketBitsFor(n))} for n live variables.
     *
     * @param bucketBits log2 of the bucket count, 0..30 ({@link #bucketBitsFor(long)} sizes it)
     */
    public ShadowVariables(int bucketBits) {
        this(bucketBits, null, AllocationFaults.NEVER);
    }

    /**
     * A table of {@code 2^bucketBits} buckets; it does not grow ({@link #bucketBitsFor(long)} sizes it).
     *
     * @param bucketBits log2 of the bucket count, 0..30, else {@link IllegalArgumentException}
     * @param rcu        the RCU domain that reclaims removed variables after a grace period (may
     *                   be shared), or null to leave them to the garbage collector
     * @param faults     allocation-failure injection ({@link AllocationFaults#NEVER} for none)
     */
    public ShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults) {
        this(bucketBits, rcu, faults, Keys.STRONG);
    }

    /**
     * A table of {@code 2^bucketBits} buckets whose removed variables are left to the GC, holding
     * its objects strongly or weakly ({@link Keys}).
     *
     * @param bucketBits log2 of the bucket count, 0..30 ({@link #bucketBitsFor(long)} sizes it)
     * @param keys       {@link Keys#STRONG} (the kernel's) or {@link Keys#WEAK}
     */
    public ShadowVariables(int bucketBits, Keys keys) {
        this(bucketBits, null, AllocationFaults.NEVER, keys);
    }

    /**
     * A table of {@code 2^bucketBits} buckets holding its objects strongly or weakly ({@link Keys}).
     *
     * @param bucketBits log2 of the bucket count, 0..30, else {@link IllegalArgumentException}
     * @param rcu        the RCU domain that reclaims removed variables after a grace period (may
     *                   be shared), or null to leave them to the garbage collector
     * @param faults     allocation-failure injection ({@link AllocationFaults#NEVER} for none)
     * @param keys       {@link Keys#STRONG} (the kernel's) or {@link Keys#WEAK}
     */
    public ShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults, Keys keys) {
        this(bucketBits, rcu, faults, keys, System.getLogger(ShadowVariables.class.getName()));
    }

    ShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults, Keys keys, Logger logger) {
        if (bucketBits < 0 || bucketBits > 30) {
            throw new IllegalArgumentException("bucketBits must be in 0..30 (2^bucketBits buckets), got " + bucketBits);
        }
        this.buckets = new AtomicReferenceArray<>(1 << bucketBits);
        this.mask = (1 << bucketBits) - 1;
        this.rcu = rcu;
        this.counters = new Counters(rcu == null);
        this.faults = Objects.requireNonNull(faults, "faults");
        this.logger = Objects.requireNonNull(logger, "logger");
        this.weak = Objects.requireNonNull(keys, "keys") == Keys.WEAK;
        this.collected = weak ? new ReferenceQueue<>() : null;
        if (rcu != null) {
            rcu.registerTableLock(lock); // barrier and synchronize refuse to run under it
        }
    }

    /**
     * Bucket bits for chains of at most one entry on average; {@link #freeAll} walks every bucket.
     *
     * @param expectedCount how many variables the table holds at once, at least 0
     * @return the smallest b with {@code 2^b >= expectedCount}, at most 30 (2^30 buckets: a 4 GiB array)
     */
    public static int bucketBitsFor(long expectedCount) {
        if (expectedCount < 0) {
            throw new IllegalArgumentException("expectedCount must not be negative, got " + expectedCount);
        }
        return Math.min(30, 64 - Long.numberOfLeadingZeros(Math.max(1, expectedCount) - 1));
    }

    /**
     * The data of {@code <obj, id>}, or null ({@code klp_shadow_get}). Never blocks.
     *
     * @param obj the parent object
     * @param id  the variable's id
     * @param <T> the data's type
     * @return the data, or null if the variable does not exist
     * @throws NullPointerException if obj is null
     * @throws UseAfterReclaimError if the walk touches a reclaimed entry (only with a broken RCU domain)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Object obj, long id) {
        Objects.requireNonNull(obj, "obj");
        return (T) klpShadowGet(obj, id);
    }

    /** klp_shadow_get's steps, for get and the pre-check of alloc/getOrAlloc: the data found, or null. */
    private Object klpShadowGet(Object obj, long id) {
        Object data = null;
        long[] reader = rcuReadLock();                                          // (1) rcu_read_lock [g_lock]
        try {
            Entry e = headAt(bucketOf(obj));                                    // (2) walk the bucket: its head [g_lock]
            while (e != null) {
                checkPoison(e);
                if (klpShadowMatch(e, obj, id)) {                               // (2) compare obj and id [g_walk]
                    data = dataOf(e);                                           // (3) match: its data, inside the section [g_walk]
                    break;
                }
                e = nextOf(e);                                                  // (2) follow the next link [g_walk]
            }
        } finally {
            rcuReadUnlock(reader);                                              // (3)/(4) rcu_read_unlock [g_unlock]
        }
        return data;
    }

    /**
     * Creates {@code <obj, id>} ({@code klp_shadow_alloc}); if it exists, logs the WARNING
     * "Duplicate shadow variable" and returns null. A constructor error code is logged at ERROR.
     * A log record names obj as the kernel's {@code %p} does (class name and identity hash, never
     * {@code obj.toString()}) and is built only if its level is on.
     *
     * @param obj      the parent object
     * @param id       the variable's id
     * @param allocate makes the fresh data object, outside the lock; null is an allocation failure
     * @param ctor     initialises the data under the lock before publication, or null
     * @param <T>      the data's type (C's {@code void *}: the id decides it)
     * @return the new data, or null (exists, allocation failure, constructor error code)
     * @throws NullPointerException if obj or allocate is null (table unchanged)
     * @throws IllegalStateException if called from a constructor or destructor of any table for
     *         a key that does not exist (a key that exists is answered by the lock-free pre-check)
     */
    @SuppressWarnings("unchecked")
    public <T> T alloc(Object obj, long id, Supplier<? extends T> allocate, Constructor<? super T> ctor) {
        Objects.requireNonNull(obj, "obj");
        Objects.requireNonNull(allocate, "allocate");
        return (T) klpShadowGetOrAlloc(obj, id, allocate, ctor, true, "alloc");
    }

    /**
     * The data of {@code <obj, id>}, created as by {@link #alloc} if absent
     * ({@code klp_shadow_get_or_alloc}); the constructor runs only if this call creates it.
     *
     * @param obj      the parent object
     * @param id       the variable's id
     * @param allocate makes the fresh data object, outside the lock; null is an allocation failure
     * @param ctor     initialises new data under the lock before publication, or null
     * @param <T>      the data's type
     * @return the existing or new data, or null (allocation failure, constructor error code)
     * @throws NullPointerException if obj or allocate is null (table unchanged)
     * @throws IllegalStateException if called from a constructor or destructor of any table for
     *         a key that does not exist
     */
    @SuppressWarnings("unchecked")
    public <T> T getOrAlloc(Object obj, long id, Supplier<? extends T> allocate, Constructor<? super T> ctor) {
        Objects.requireNonNull(obj, "obj");
        Objects.requireNonNull(allocate, "allocate");
        return (T) klpShadowGetOrAlloc(obj, id, allocate, ctor, false, "getOrAlloc");
    }

    /**
     * {@code __klp_shadow_get_or_alloc}: klp_shadow_get first, then allocate, lock and re-check.
     * Kept small so that the JIT inlines it into its callers: an existing key costs a get.
     */
    private <T> Object klpShadowGetOrAlloc(Object obj, long id, Supplier<? extends T> allocate,
                                           Constructor<? super T> ctor, boolean warnOnExist, String op) {
        Object existing = klpShadowGet(obj, id);                                // (1) lockless pre-check [g_lock, g_walk, g_unlock]
        if (existing != null) {
            return exists(obj, id, existing, warnOnExist);
        }
        return allocLocked(obj, id, allocate, ctor, warnOnExist, op);
    }

    /**
     * Steps (2)-(8) of {@code __klp_shadow_get_or_alloc}, after a pre-check that found nothing: out
     * of line. Its bytecode stays above C2's FreqInlineSize (325 bytes), so the JIT never inlines it
     * into klpShadowGetOrAlloc, whose compiled code then stays small enough (InlineSmallCode) to be
     * inlined into the caller: an existing key costs a get (AlgorithmClassSizeTest checks the size).
     */
    @SuppressWarnings("unchecked")
    private <T> Object allocLocked(Object obj, long id, Supplier<? extends T> allocate,
                                   Constructor<? super T> ctor, boolean warnOnExist, String op) {
        requireNotLockedByCaller(op);
        Entry entry = kzalloc(obj, id, allocate);                               // (2) allocate outside the lock [a_alloc]
        if (entry == null) {
            return null;                                                        // (2) allocation failure [a_alloc]
        }
        T data = (T) entry.data;                                                // C's new_shadow->data is an address; a load after unlock could see the poison
        Entry found = null;
        Object existing = null;
        boolean published = false;
        long crowded = 0;
        int error = 0;
        Throwable thrown = null;
        spinLock();                                                             // (3) lock [a_lock]
        try {
            counters.count(Counters.ALLOCATED);                                 // counted first: DROPPED in finally pairs with it
            expungeLocked();                                                    // weak: stale entries first [x_walk, x_del, x_kfree_rcu]
            found = find(obj, id);                                              // (4) re-check under the lock [a_recheck]
            if (found != null) {
                existing = found.data;                                          // (4) found: goto exists [a_recheck]
            } else {
                entry.obj = weak ? new WeakKey(obj, bucketOf(obj), collected) : obj; // (5) set obj and id [a_set]
                entry.id = id;
                try {
                    error = ctor == null ? 0 : construct(ctor, obj, data);       // (6) ctor under the lock [a_ctor]
                } catch (Throwable t) {
                    thrown = t;
                }
                if (error == 0 && thrown == null) {
                    hashAddRcu(entry);                                          // (7) publish [a_publish]
                    published = true;
                    crowded = counters.crowdedOnce(buckets.length());          // not in C: the sizing warning
                }
            }
        } finally {
            if (!published) {
                counters.count(Counters.DROPPED);
            }
            spinUnlock();                                                       // (8) unlock [a_unlock, a_exists_unlock, a_ctor_fail_unlock]
        }
        assert found == null || !published : "published although the re-check under the lock found <obj, id>";
        if (crowded > 0) {
            warnCrowded(crowded);
        }
        if (found != null) {
            kfree(entry);                                                       // (4) found: drop the speculative entry (kfree) [a_kfree]
            return exists(obj, id, existing, warnOnExist);
        }
        if (!published) {
            kfree(entry);                                                       // (6) ctor error: nothing published (kfree) [a_ctor_fail_kfree]
            if (thrown != null) {
                throw Failures.rethrow(thrown);
            }
            int code = error;
            logger.log(Level.ERROR, () -> "Failed to construct shadow variable <" + UserCode.pointer(obj) + ", " + Long.toHexString(id) + "> (" + code + ")");
            return null;
        }
        return data;                                                            // (8) return the new data [a_unlock]
    }

    /** hash_add_rcu (7): links entry in front of its bucket and publishes it; the caller holds the lock. */
    void hashAddRcu(Entry entry) {
        int b = bucketOfEntry(entry);
        Entry.NEXT.set(entry, buckets.get(b));                                  // (7) link to the old head: plain store (the head: a volatile load under the lock) [a_publish]
        setHeadAt(b, entry);                                                    // (7) publish: rcu_assign_pointer [a_publish]
        counters.count(Counters.PUBLISHED);
    }

    /** The sizing warning (Counters.crowdedOnce), once per table, after the lock is released. */
    private void warnCrowded(long live) {
        int n = buckets.length();
        logger.log(Level.WARNING, () -> String.format(java.util.Locale.ROOT, "Shadow variable table of %d buckets"
                + " holds %d variables (%.1f per bucket on average): get, alloc and free walk chains that long."
                + " Size the table for the expected count n: new ShadowVariables(ShadowVariables.bucketBitsFor(n))",
                n, live, (double) live / n));
    }

    /** The EXISTS exit: alloc warns and returns null, getOrAlloc returns the existing data. */
    private Object exists(Object obj, long id, Object existing, boolean warnOnExist) {
        if (warnOnExist) {
            logger.log(Level.WARNING, () -> "Duplicate shadow variable <" + UserCode.pointer(obj) + ", " + Long.toHexString(id) + ">");
            return null;
        }
        return existing;
    }

    /**
     * Removes {@code <obj, id>} if present ({@code klp_shadow_free}), calling the destructor under
     * the lock; the entry is reclaimed once no reader can hold it.
     *
     * @param obj  the parent object
     * @param id   the variable's id
     * @param dtor called with (obj, data) under the lock, or null
     * @param <T>  the data's type
     * @throws NullPointerException if obj is null (table unchanged)
     * @throws IllegalStateException if called from a constructor or destructor of any table
     */
    public <T> void free(Object obj, long id, Destructor<? super T> dtor) {
        Objects.requireNonNull(obj, "obj");
        requireNotLockedByCaller("free");
        afterUnlock(klpShadowFree(obj, id, dtor));
    }

    /** klp_shadow_free's steps: returns what the destructor threw. */
    <T> Throwable klpShadowFree(Object obj, long id, Destructor<? super T> dtor) {
        Throwable thrown = null;
        spinLock();                                                             // (1) lock [f_lock]
        try {
            expungeLocked();                                                    // weak: stale entries first [x_walk, x_del, x_kfree_rcu]
            Entry e = find(obj, id);                                            // (2) walk the bucket, first match [f_walk]
            if (e != null) {
                thrown = klpShadowFreeStruct(e, obj, dtor);                     // (a)-(c), then (d) stop
            }
        } finally {
            spinUnlock();                                                       // (3) unlock [f_unlock]
        }
        return thrown;
    }

    /**
     * Removes every variable with this id ({@code klp_shadow_free_all}), calling the destructor
     * for each under the lock. Walks every bucket.
     *
     * @param id   the variables' id
     * @param dtor called with (obj, data) for each, under the lock, or null
     * @param <T>  the data's type
     * @throws IllegalStateException if called from a constructor or destructor of any table
     */
    public <T> void freeAll(long id, Destructor<? super T> dtor) {
        requireNotLockedByCaller("freeAll");
        afterUnlock(klpShadowFreeAll(id, dtor));
    }

    /** klp_shadow_free_all's steps: returns what the destructors threw (the first, later ones suppressed). */
    <T> Throwable klpShadowFreeAll(long id, Destructor<? super T> dtor) {
        Throwable thrown = null;
        spinLock();                                                             // (1) lock [fa_lock]
        try {
            expungeLocked();                                                    // weak: stale entries first [x_walk, x_del, x_kfree_rcu]
            int b = 0;
            Entry e = headAt(b);                                                // (2) walk every bucket: bucket 0's head [fa_lock]
            while (true) {
                if (e == null) {                                                // (2) the end of bucket b [fa_walk]
                    if (++b == buckets.length()) {
                        break;
                    }
                    e = headAt(b);                                              // (2) the next bucket's head [fa_walk]
                    continue;
                }
                checkPoison(e);
                Entry next = nextOf(e);                                         // read before (a); see the notes [fa_walk]
                if (e.id == id) {                                               // (2) every entry with that id [fa_walk]
                    Object o = objOf(e);                                        //     weak: null once the collector cleared its key (enqueued or not)
                    if (o == null) {
                        expungeStruct(e);                                       //     then no dtor [x_del, x_kfree_rcu]
                    } else {
                        thrown = Failures.combine(thrown, klpShadowFreeStruct(e, o, dtor)); // (a)-(c)
                    }
                    e = next;                                                   // continue from the kept next link [fa_next]
                } else {
                    e = next;                                                   // no match: follow the next link [fa_walk]
                }
            }
        } finally {
            spinUnlock();                                                       // (3) unlock [fa_unlock]
        }
        return thrown;
    }

    /**
     * klp_shadow_free_struct for free ([f_del], [f_dtor], [f_kfree_rcu]) or freeAll ([fa_del],
     * [fa_dtor], [fa_kfree_rcu]); the caller holds the lock and obj (weak keys: the object, held
     * strongly through the dtor call). Returns what the destructor threw.
     */
    @SuppressWarnings("unchecked")
    private <T> Throwable klpShadowFreeStruct(Entry e, Object obj, Destructor<? super T> dtor) {
        hashDelRcu(e);                                                          // (a) hash_del_rcu: unlink, [f_del / fa_del]
        counters.count(Counters.UNLINKED);                                      //     e.next stays for readers standing on e
        Throwable thrown = null;
        if (dtor != null) {
            try {
                destroy(dtor, obj, (T) e.data);                                 // (b) dtor under the lock [f_dtor / fa_dtor]
            } catch (Throwable t) {
                thrown = t;
            }
        }
        kfreeRcu(e);                                                            // (c) kfree_rcu [f_kfree_rcu / fa_kfree_rcu]
        return thrown;
    }

    /**
     * Unlinks every variable whose object the collector has cleared, without a destructor call
     * (weak keys; a strong table has none): what every write does first, under its lock. A
     * {@code get} never does: a table that is only read keeps its dead entries until a write or
     * this call. The entries are reclaimed once no reader can hold them.
     *
     * @return how many variables it unlinked (0 on a strong table)
     * @throws IllegalStateException if called from a constructor or destructor of any table
     */
    public int expunge() {
        requireNotLockedByCaller("expunge");
        int n = klpShadowExpunge();
        afterUnlock(null);
        return n;
    }

    /** expunge's steps: lock, the expunge, unlock; returns how many it unlinked. */
    int klpShadowExpunge() {
        int n;
        spinLock();                                                             // (1) lock [x_lock]
        try {
            n = expungeLocked();                                                // (2)-(c) [x_walk, x_del, x_kfree_rcu]
        } finally {
            spinUnlock();                                                       // (3) unlock [x_unlock]
        }
        return n;
    }

    /** Per enqueued key, klp_shadow_free's one-bucket walk, no dtor; under the lock. A key cleared, not yet enqueued, waits (x_walk may stop). */
    private int expungeLocked() {
        int n = 0;
        for (WeakKey k; weak && (k = pollCollected()) != null; ) {              // (2) poll the next key [x_walk]; strong: none
            Entry e = findStale(k);                                             // (2) find the stale entry still linked [x_walk]
            if (e != null) {
                expungeStruct(e);                                               // (a), (c), no dtor [x_del, x_kfree_rcu]
                n++;
            }
        }
        return n;
    }

    /** klp_shadow_free_struct without the destructor, for an entry whose object is dead; the caller holds the lock. */
    private void expungeStruct(Entry e) {
        hashDelRcu(e);                                                          // (a) hash_del_rcu: unlink [x_del]
        counters.count(Counters.UNLINKED);                                      //     e.next stays for readers standing on e
        counters.count(Counters.EXPUNGED);
        kfreeRcu(e);                                                            // (c) kfree_rcu, no dtor [x_kfree_rcu]
    }

    /** The RCU callback: poisons the entry (the stand-in for freeing its memory) [rcu_reclaim]. */
    void reclaim(Entry e) {
        Entry.RECLAIMED.setRelease(e, true);                                    // a walk that loads it reports the reader
        e.data = POISON;                                                        // obj kept: a walk past the check matches, then hits this
        counters.reclaimed();
    }

    /** After a writer released the lock: the callbacks no reader holds up run here, then the dtor's exception. */
    private void afterUnlock(Throwable thrown) {
        if (rcu != null) {
            rcu.processCallbacksBatched(); // never throws a callback's failure: the domain logs it
        }
        if (thrown != null) {
            throw Failures.rethrow(thrown);
        }
    }

    /**
     * Waits until every variable removed so far has been reclaimed ({@code rcu_barrier} on the
     * table's domain); returns at once without a domain, whose removed variables the GC frees.
     * A wait that a reader stuck in a read-side section must not block for ever:
     * {@code rcu().barrier(Duration)}, which returns false when the time runs out.
     *
     * @throws IllegalStateException if called from a constructor or destructor, or in a read-side section
     */
    public void barrier() {
        if (rcu != null) {
            rcu.barrier();
        }
    }

    /** @return this table's RCU domain, or null if removed variables are left to the garbage collector */
    public Rcu rcu() { return rcu; }

    /** @return the counters now: each exact, together not one instant's snapshot; live() is never negative */
    public Stats stats() { return counters.stats(); }

    // Helpers: the C primitives, each naming its memory-access mode (package-private: the traced
    // table overrides them); the walk under the lock; poison.

    /** rcu_read_lock: enters a read-side section of the domain (its per-thread state); none without one (null). */
    long[] rcuReadLock() {
        return rcu == null ? null : rcu.enter();
    }

    /** rcu_read_unlock of the section {@link #rcuReadLock()} began. */
    void rcuReadUnlock(long[] reader) {
        if (reader != null) rcu.exit(reader);
    }

    /** spin_lock of klp_shadow_lock. */
    void spinLock() {
        lock.lock();
    }

    /** spin_unlock of klp_shadow_lock. */
    void spinUnlock() {
        lock.unlock();
    }

    /** kzalloc outside the lock: the entry holding allocate's fresh data, or null (an injected failure, or allocate returned null). */
    <T> Entry kzalloc(Object obj, long id, Supplier<? extends T> allocate) {
        T data = faults.failNext(obj, id) ? null : allocate.get();
        return data == null ? null : new Entry(data);
    }

    /** kfree of an entry never published: nothing to do, the GC frees it. */
    void kfree(Entry e) {
    }

    /** kfree_rcu: reclaims e after a grace period; without a domain the GC frees it once unreachable. */
    void kfreeRcu(Entry e) {
        if (rcu != null) {
            rcu.callRcu(() -> reclaim(e));
        }
    }

    /** The constructor, as the caller's code (UserCode); a thrown exception is a failure too. */
    <T> int construct(Constructor<? super T> ctor, Object obj, T data) {
        return UserCode.construct(ctor, obj, data);
    }

    /** The destructor, as the caller's code (UserCode). */
    <T> void destroy(Destructor<? super T> dtor, Object obj, T data) {
        UserCode.destroy(dtor, obj, data);
    }

    /** rcu_dereference of bucket b's head: a volatile load (checked flavour: an acquire load would break Rcu's argument). */
    Entry headAt(int b) {
        return buckets.get(b);
    }

    /** rcu_dereference of e's next link: a volatile load (the same reason). */
    Entry nextOf(Entry e) {
        return e.next;
    }

    /** rcu_assign_pointer to bucket b's head: a volatile store (release, then a full fence). */
    private void setHeadAt(int b, Entry e) { buckets.set(b, e); }

    /** hash_del_rcu: unlinks e, keeping e.next (volatile loads and stores); the caller holds the lock. */
    void hashDelRcu(Entry e) {
        int b = bucketOfEntry(e);
        Entry prev = buckets.get(b);
        if (prev == e) {
            setHeadAt(b, e.next);
        } else {
            while (prev.next != e) {
                prev = prev.next;
            }
            prev.next = e.next;
        }
    }

    /** klp_shadow_lock is not recursive: a constructor or destructor of this table, or of any other, calling a writer is refused. */
    private void requireNotLockedByCaller(String op) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(op + " called from a constructor or destructor of the same table:"
                    + " the writer lock is not recursive (the kernel would deadlock); the table is unchanged");
        }
        UserCode.requireOutsideCallback(op); // another table's: C has one lock for every table
    }

    /** The first entry of obj's bucket that matches {@code <obj, id>}, or null; under the lock. */
    private Entry find(Object obj, long id) {
        for (Entry e = headAt(bucketOf(obj)); e != null; e = nextOf(e)) {
            checkPoison(e);
            if (klpShadowMatch(e, obj, id)) {
                return e;
            }
        }
        return null;
    }

    /** The linked entry holding weak key k, or null (unlinked already, or never published); under the lock. */
    private Entry findStale(WeakKey k) {
        for (Entry e = headAt(k.bucket); e != null; e = nextOf(e)) {
            checkPoison(e);
            if (e.obj == k) {
                return e;
            }
        }
        return null;
    }

    /** klp_shadow_match: e is {@code <obj, id>}; weak: Reference.refersTo, objOf's compare without get()'s strong reference (see WeakKey). */
    private boolean klpShadowMatch(Entry e, Object obj, long id) {
        return (weak ? ((WeakKey) e.obj).refersTo(obj) : e.obj == obj) && e.id == id;
    }

    /** The entry's object: e.obj, or a weak key's referent (null once the collector cleared it). */
    private Object objOf(Entry e) { return weak ? ((WeakKey) e.obj).get() : e.obj; }

    /** The next key the collector cleared and enqueued, or null: ReferenceQueue.poll (a volatile load of its head, its lock if not empty); under the table lock. */
    WeakKey pollCollected() {
        return (WeakKey) collected.poll();
    }

    /** Bucket of obj: the identity hash (the kernel hashes the pointer), spread and masked; package-private for TestTables. */
    int bucketOf(Object obj) {
        int h = System.identityHashCode(obj);
        return (h ^ (h >>> 16)) & mask;
    }

    /** Bucket of a linked entry: of its object, or the one its weak key kept (the object may be gone). */
    private int bucketOfEntry(Entry e) { return weak ? ((WeakKey) e.obj).bucket : bucketOf(e.obj); }

    /** The KASAN stand-in: touching a reclaimed entry, or its poisoned data, is an error. */
    private void checkPoison(Entry e) { if (e.reclaimed) poisoned(e); }

    private Object dataOf(Entry e) {
        Object data = e.data;
        return data == POISON ? poisoned(e) : data;
    }

    Object poisoned(Entry e) {
        counters.poisonedRead();
        throw new UseAfterReclaimError("read of a reclaimed shadow variable entry (id " + e.id
                + "): a reader was not protected by a grace period");
    }
}
