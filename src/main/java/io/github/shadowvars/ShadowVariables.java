package io.github.shadowvars;

import java.lang.System.Logger;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Shadow variables: data attached to objects whose class cannot change, keyed by
 * {@code <obj, id>}; the Java reference implementation of the Linux kernel's livepatch shadow
 * variables ({@code kernel/livepatch/shadow.c}).
 *
 * <pre>
 * Implementation notes.
 *
 * Overview. A hash table of buckets (2^12 by default, as in the kernel); each bucket is a singly
 * linked list of entries, newest first. Readers (get) walk a bucket inside a read-side section of
 * the table's RCU domain and take no lock. Writers (alloc, getOrAlloc, free, freeAll) serialise on
 * one writer lock per table. An entry unlinked by a writer is reclaimed (poisoned) only by an RCU
 * callback, after a grace period, so a reader standing on it can finish its walk.
 *
 * C mapping, function by function ((n) = the numbered comment at that line below, the same
 * numbering as the project's c-semantics.md and the spec's labels):
 *   klp_shadow_get            get:     read lock; walk the bucket comparing obj (identity) and id;
 *                                      read unlock; return data or null.
 *   __klp_shadow_get_or_alloc getOrAllocCore: (0) reentrancy check (Java only); (1) lockless
 *                                      pre-check; (2) allocate outside the lock; (3) lock;
 *                                      (4) re-check under the lock, drop the speculative entry if
 *                                      found; (5) set obj and id; (6) ctor under the lock;
 *                                      (7) publish at the bucket head; (8) unlock, return data.
 *   klp_shadow_alloc          alloc = getOrAllocCore with warnOnExist.
 *   klp_shadow_get_or_alloc   getOrAlloc = getOrAllocCore without warnOnExist.
 *   klp_shadow_free           free:    (0) reentrancy check; lock; walk; first match:
 *                                      (a) unlink, (b) dtor, (c) callRcu(reclaim); unlock.
 *   klp_shadow_free_all       freeAll: (0); lock; every bucket, every entry with id: (a)-(c); unlock.
 *   kfree_rcu                 rcu.callRcu(() -> reclaim(entry)).
 *   kfree (speculative entry) dropSpeculative: the entry was never published, it is left to the GC.
 *   pointer hash              System.identityHashCode(obj): the kernel hashes the pointer value;
 *                             the identity hash is the Java stand-in. obj is compared with ==,
 *                             never equals(), as C compares pointers.
 *
 * C parameters: size + kzalloc -> the allocate Supplier (a fresh "zeroed" data object; null means
 * allocation failure, like kzalloc returning NULL); gfp_flags -> none (a Java allocation cannot be
 * told not to sleep; it runs outside the lock anyway) and failures are injectable through
 * AllocationFaults; ctor -> Constructor (0 or an error code); ctor_data -> none (a lambda captures
 * it); dtor -> Destructor. ctor and dtor may be null, as in C. Results are unchecked casts: the C
 * "void *" convention, the id decides the data's type.
 *
 * Locking. One ReentrantLock per table, used non-reentrantly like the kernel's spinlock: every
 * writer entry point first checks isHeldByCurrentThread() and throws IllegalStateException (the
 * kernel would deadlock) before changing anything, so a ctor or dtor cannot call a writer method
 * of the same table; calls into another table are allowed. All changes to buckets and entries
 * happen under the lock, so writers see one consistent table; at most one entry per <obj, id>
 * exists because the insertion re-checks (4) under the same lock that free and freeAll hold.
 * The allocate Supplier and AllocationFaults run outside the lock; ctor and dtor run under it,
 * as in C; RCU callbacks (reclamation) run after it is released (if free is called from a ctor
 * or dtor of another table, that other table's lock is still held; reclaim takes no lock, so
 * this is harmless for the table's own callbacks). Lock order: table lock, then the RCU
 * domain's internal queue lock (callRcu under the table lock); nothing takes them the other way.
 *
 * Memory ordering. Bucket heads (AtomicReferenceArray get/set) and Entry.next are volatile.
 * Publication (7): the entry's plain fields (obj, id, data), its next link and state (plain
 * stores through VarHandles, no fence) and everything the ctor wrote are written before the
 * volatile store of the bucket head; a reader's volatile load that returns
 * the entry (a head or a next link) synchronizes-with that store, so it sees them (release /
 * acquire; stronger than the kernel's rcu_dereference consume load). Unlinking (a) is one
 * volatile store to the predecessor's next (or the head); the entry's own next is kept, so a
 * reader standing on it continues to the rest of the bucket. Reclamation: callRcu reads the RCU
 * epoch after the unlink (a volatile load later in program order) and waits for the next grace
 * period, which starts with a later increment; see Rcu for why no reader that can still reach the
 * entry is missed. Writers process callbacks batched while readers are busy (Rcu.BATCH). A reader racing with an insertion may miss
 * the new entry (it then linearizes before it), as in C.
 *
 * Poison. reclaim() marks the entry RECLAIMED (a release store; the check loads it volatile) and
 * overwrites obj and data with null / POISON. Every entry visit in a walk checks the state (and
 * the data it returns), counts and throws UseAfterReclaimError: the stand-in for a KASAN
 * use-after-free report.
 *
 * Cost. A volatile store on x86 is followed by a full fence (lock addl), about 5 ns on the
 * project machine; stores that need no store-load order are plain or release stores (VarHandle
 * set / setRelease) and the writer-side counters are opaque stores under the lock. The one fence
 * a get cannot avoid is the RCU read-side entry store (see Rcu).
 *
 * Spec labels. A "[label]" at the end of a step's comment names the labelled atomic step of
 * spec/Shadow.tla it implements ([Call] = the spec's Call of the operation). Where the granularity
 * differs, the label marks every Java line of that spec step: g_lock = rcu_read_lock plus the
 * head load; g_walk = one entry: compare obj and id, then on a match take its data, else load its
 * next link; a_recheck and f_walk = the whole walk under the lock (the spec's one atomic Lookup);
 * fa_walk = one entry (or the end of a bucket, with the next bucket's head load); freeAll reads an
 * entry's next link in fa_walk, before unlinking it, where the spec reads it in fa_next, after
 * kfree_rcu (the same value: nothing changes the link under the lock). The a_kfree and
 * a_ctor_fail_kfree steps are where the speculative entry is dropped (left to the GC).
 *
 * Recording mode (tests only; Hooks.recorder, see StepRecorder): each labelled step runs between
 * stepBegin() and a stepEnd...(label, observations), atomically with respect to the other
 * recorded steps, and is logged in one global order; a step whose work ran just before, outside
 * the step lock, is recorded whole by a stepDone...(...) (the allocation, the ctor and the dtor:
 * they touch only the caller's data, and may block). The step* helpers, at the end of the class,
 * forward to rec (the StepRecorder) when it is set. A lock step takes the writer lock before it
 * begins, so the step lock never waits for the writer lock. One behavioural difference, for
 * recording only: the writer-lock holder is also inside an RCU read-side section (as the C lock
 * holder is, spin_lock_irqsave disabling interrupts), so no reclamation happens while a writer
 * holds the lock; the spec's grace periods wait for the lock holder (Inside). Without it a Java
 * writer's processCallbacks may reclaim an entry another thread's freeAll has just handed to
 * callRcu, which is safe here (freeAll read the next link before the unlink) but not a step the
 * spec allows. Off (null, the default) it costs one null check of a final field per step: each
 * step* helper is that check, and the JIT inlines these tiny methods.
 *
 * Contract kept from C: get's result is used after the read-side section ended; callers must not
 * use data after they (or someone) freed its <obj, id>. The table does not copy data.
 * </pre>
 *
 * <h2>Life cycle: there is no close()</h2>
 * A table owns no thread, file or native resource, so it has no {@code close()}. To drop one:
 * stop calling it, call {@code rcu().barrier()} so that every reclamation callback its frees
 * queued has run (with a domain shared by several tables they would otherwise wait for a later
 * writer call, {@link Rcu#processCallbacks()} or barrier), then drop the reference like any other
 * object. A shared {@link Rcu} domain outlives the tables that use it and holds nothing of a table
 * after the barrier. Variables still in a dropped table get no dtor call: if their data holds
 * something to release, call {@link #freeAll(long, Destructor)} for each id first.
 *
 * <h2>Bad input and faults</h2>
 * <ul>
 *   <li>{@code obj} null: {@link NullPointerException} with message "obj" from get, alloc,
 *       getOrAlloc and free, table unchanged. {@code allocate} null: NullPointerException
 *       "allocate". {@code ctor} or {@code dtor} null: allowed, nothing is called, as in C.</li>
 *   <li>Ids: any long, 0, -1, {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE} included; each is
 *       its own key.</li>
 *   <li>Allocation failure ({@code allocate} returns null, or {@link AllocationFaults} says so):
 *       null, nothing published, no counter changes.</li>
 *   <li>Constructor returns an error code, or throws: nothing published, the lock released, the
 *       speculative entry counted as allocated and dropped; the caller gets null (and an ERROR is
 *       logged) or the exception. The table is otherwise exactly as before.</li>
 *   <li>Slow constructor or destructor: it runs under the writer lock, so it delays every writer of
 *       the table (alloc and getOrAlloc of an absent key, free, freeAll), never a get, nor an
 *       alloc or getOrAlloc of a key that exists (answered by the lock-free pre-check).</li>
 *   <li>Destructor throws: the variable is still unlinked and reclaimed; freeAll still removes
 *       every match and throws the first exception with the later ones suppressed.</li>
 *   <li>A ctor or dtor calling alloc, getOrAlloc, free or freeAll of the same table:
 *       {@link IllegalStateException}, table unchanged; calls into another table are allowed.</li>
 *   <li>Interrupts: no method of the table is interruptible. A writer waits for the lock without
 *       giving up, and keeps its interrupt status; {@link Rcu#synchronize()} and
 *       {@link Rcu#barrier()} ignore interrupts, run every callback and keep the status.</li>
 * </ul>
 * {@link FaultInjection} injects allocation failures and failing constructors at given rates.
 */
public final class ShadowVariables {

    /** The kernel's table size: 2^12 buckets. */
    public static final int DEFAULT_BUCKET_BITS = 12;

    /** The value a reclaimed entry's data is overwritten with (an immutable marker, no state). */
    private static final Object POISON = new Object() {
        @Override
        public String toString() {
            return "POISON";
        }
    };

    /** An entry's life: built privately, published in a bucket, unlinked by free, reclaimed after a grace period. */
    private enum State { PRIVATE, PUBLISHED, UNLINKED, RECLAIMED }

    /** One shadow variable ({@code struct klp_shadow}). */
    private static final class Entry {
        /** Parent object; written before publication, compared with ==; null once reclaimed. */
        Object obj;
        /** The variable's id; written before publication. */
        long id;
        /** The caller's data object; POISON once reclaimed. */
        Object data;
        /**
         * Next entry in the bucket; kept intact when this entry is unlinked. Volatile: readers load
         * it with acquire; the one store before publication is plain (through {@link #NEXT}).
         */
        volatile Entry next;
        /**
         * Lifecycle. Loaded volatile by the poison check; stored without a fence (through
         * {@link #STATE}): plain while the entry is private, release once it is published.
         */
        volatile State state;
        /** The ctor returned 0 / the dtor was called (guarded by the table lock; for checks and traces). */
        boolean ctorDone;
        boolean dtorDone;

        Entry(Object data) {
            this.data = data;
            STATE.set(this, State.PRIVATE); // plain store: the entry is not shared yet
        }

        /** {@link #next}, for its plain store before publication. */
        private static final VarHandle NEXT;
        /** {@link #state}, for its stores without a fence. */
        private static final VarHandle STATE;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                NEXT = l.findVarHandle(Entry.class, "next", Entry.class);
                STATE = l.findVarHandle(Entry.class, "state", State.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** Immutable snapshot of the table's counters. */
    public record Stats(long allocated, long published, long dropped, long unlinked, long reclaimed,
                        long poisonedReads) {
        /** Variables in the table now: published and not yet unlinked. */
        public long live() {
            return published - unlinked;
        }

        @Override
        public String toString() {
            return "allocated=" + allocated + " published=" + published + " dropped=" + dropped
                    + " unlinked=" + unlinked + " reclaimed=" + reclaimed + " poisonedReads=" + poisonedReads
                    + " live=" + live();
        }
    }

    /** Test hook: called for every entry a get() walk visits, with the obj and id it read there. */
    @FunctionalInterface
    interface ReadVisitHook {
        void visited(Object obj, long id);
    }

    /**
     * SEEDED BUGS, tests only: deliberately broken variants of the algorithm, each of which some
     * jcstress harness (src/test/java/io/github/shadowvars/jcstress) must catch. NONE is the real algorithm;
     * every other value changes exactly the one step its comment names. Where the spec seeds the
     * same mutant, its Bug name is given in brackets.
     */
    enum SeededBug {
        /** The real algorithm. */
        NONE,
        /** getOrAllocCore (4): no re-check under the lock, the speculative entry is always published [NoRecheck]. */
        NO_RECHECK,
        /** getOrAllocCore (6)/(7): the entry is published before the ctor runs [PublishBeforeCtor]. */
        PUBLISH_BEFORE_CTOR,
        /** getOrAllocCore (7): the bucket head is written with a plain store (no release; not in the spec, which has no weak memory). */
        PLAIN_HEAD_WRITE,
        /** free/freeAll (c): the entry is reclaimed at once (kfree instead of kfree_rcu) [PlainFree]. */
        RECLAIM_WITHOUT_GRACE_PERIOD,
        /** get (1)/(3): no read-side section, so no grace period waits for the reader [NoReadLock]. */
        READER_NOT_REGISTERED,
        /** free/freeAll (a): the unlinked entry's next link is cleared (readers standing on it lose the rest) [DelClearsNext]. */
        UNLINK_CLEARS_NEXT,
        /** free (1)/(3): the walk and unlink run without the writer lock [FreeWithoutLock]. */
        FREE_OUTSIDE_LOCK,
        /** freeAll (b): the dtor is not called. */
        FREEALL_SKIPS_DTOR,
        /** getOrAllocCore (4): the ctor is also called (on the speculative data) when the re-check finds the key. */
        CTOR_ON_EXISTS
    }

    /**
     * Package-private knobs for tests. The table copies them at construction.
     */
    static final class Hooks {
        Logger logger = System.getLogger(ShadowVariables.class.getName());
        ReadVisitHook readVisit;
        /** Tests only: the deliberately broken variant to run; NONE in every real table. */
        SeededBug seededBug = SeededBug.NONE;
        /** Tests only: the step recorder (recording mode, see StepRecorder); null = off. */
        StepRecorder recorder;
    }

    private final AtomicReferenceArray<Entry> buckets;
    private final int mask;
    private final Rcu rcu;
    private final AllocationFaults faults;
    /** The writer lock (klp_shadow_lock), used non-reentrantly. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Logger logger;
    private final ReadVisitHook readVisit;
    /** SEEDED BUG switch (tests only); NONE costs one predictable branch at each seeded step. */
    private final SeededBug bug;
    /**
     * Recording mode (tests only, see StepRecorder): null = off, the only cost is this null check
     * at each step (in the step* helpers). When on, every step marked [label] below runs between
     * stepBegin() and a stepEnd...(label, ...), atomically with respect to the other recorded
     * steps, and the writer lock's holder is also inside a read-side section of the RCU domain, as
     * the holder of klp_shadow_lock is (spin_lock_irqsave disables interrupts; the spec's Inside
     * counts it).
     */
    private final StepRecorder rec;
    /** Slots of {@link #counts}. */
    private static final int ALLOCATED = 0, PUBLISHED = 1, DROPPED = 2, UNLINKED = 3;
    /** Element access to {@link #counts}: opaque loads and stores (atomic and coherent, no fence). */
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    /**
     * The counters writers change: written only by the writer-lock holder, so a plain increment
     * loses nothing; stored opaquely so that {@link #stats()} reads whole values without the lock
     * (each counter exact, the four not a snapshot of one instant). Cheaper than a LongAdder, whose
     * increment is an atomic read-modify-write.
     */
    private final long[] counts = new long[4];
    /** Incremented by the RCU callback, which runs outside the writer lock. */
    private final LongAdder reclaimed = new LongAdder();
    private final LongAdder poisonedReads = new LongAdder();

    /** A table of 2^12 buckets with its own new RCU domain and no fault injection. */
    public ShadowVariables() {
        this(DEFAULT_BUCKET_BITS, new Rcu(), AllocationFaults.NEVER);
    }

    /**
     * @param bucketBits log2 of the bucket count, 0..30
     * @param rcu        the RCU domain that protects readers and defers reclamation
     * @param faults     allocation-failure injection ({@link AllocationFaults#NEVER} for none)
     * @throws IllegalArgumentException if bucketBits is outside 0..30
     */
    public ShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults) {
        this(bucketBits, rcu, faults, new Hooks());
    }

    ShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults, Hooks hooks) {
        if (bucketBits < 0 || bucketBits > 30) {
            throw new IllegalArgumentException("bucketBits must be in 0..30 (2^bucketBits buckets), got " + bucketBits);
        }
        this.buckets = new AtomicReferenceArray<>(1 << bucketBits);
        this.mask = (1 << bucketBits) - 1;
        this.rcu = Objects.requireNonNull(rcu, "rcu");
        this.faults = Objects.requireNonNull(faults, "faults");
        this.logger = Objects.requireNonNull(hooks.logger, "logger");
        this.readVisit = hooks.readVisit;
        this.bug = Objects.requireNonNull(hooks.seededBug, "seededBug");
        this.rec = hooks.recorder;
    }

    /**
     * Tests only (the jcstress harnesses, in another package, reach it through a private lookup):
     * a table with the given logger, read-visit hook (may be null) and named seeded bug,
     * {@code "NONE"} for the real algorithm.
     */
    static ShadowVariables withSeededBug(int bucketBits, Rcu rcu, Logger logger,
                                         java.util.function.ObjLongConsumer<Object> readVisit, String seededBug) {
        Hooks hooks = new Hooks();
        hooks.logger = logger;
        hooks.readVisit = readVisit == null ? null : readVisit::accept;
        hooks.seededBug = SeededBug.valueOf(seededBug);
        return new ShadowVariables(bucketBits, rcu, AllocationFaults.NEVER, hooks);
    }

    /** Tests: whether any thread holds the writer lock now (to show failures release it). */
    boolean writerLockIsLocked() {
        return lock.isLocked();
    }

    /** This table's RCU domain (for example to call {@link Rcu#barrier()} before dropping the table). */
    public Rcu rcu() {
        return rcu;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return new Stats(counted(ALLOCATED), counted(PUBLISHED), counted(DROPPED), counted(UNLINKED),
                reclaimed.sum(), poisonedReads.sum());
    }

    /** Increments counter {@code slot}; the caller holds the writer lock (the only writer of counts). */
    private void count(int slot) {
        COUNT.setOpaque(counts, slot, counts[slot] + 1);
    }

    /** The current value of counter {@code slot}, from any thread. */
    private long counted(int slot) {
        return (long) COUNT.getOpaque(counts, slot);
    }

    /**
     * The data of {@code <obj, id>}, or null ({@code klp_shadow_get}). Lock-free.
     *
     * @throws NullPointerException if obj is null
     * @throws UseAfterReclaimError if the walk touches a reclaimed entry (only with a broken RCU domain)
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Object obj, long id) {
        Objects.requireNonNull(obj, "obj");
        stepCall("get", obj, id);                                               // [Call]
        return (T) read(obj, id, "get");
    }

    /**
     * klp_shadow_get's steps: get, and the lockless pre-check (1) of getOrAllocCore ({@code op} is
     * the calling operation, for the recorded result). Returns the data found, or null.
     */
    private Object read(Object obj, long id, String op) {
        Object data = null;
        Entry found = null;
        boolean section = bug != SeededBug.READER_NOT_REGISTERED;              // (SEEDED BUG: no section)
        stepBegin();
        Rcu.Reader reader = section ? rcu.enter() : null;                      // (1) rcu_read_lock [g_lock]
        try {
            Entry e = buckets.get(bucketOf(obj));                               // (2) walk the bucket: load the head [g_lock]
            stepEnd("g_lock", e);
            while (e != null) {                                                 // (2) one entry per step [g_walk]
                if (readVisit != null) {
                    readVisit.visited(e.obj, e.id);                             // (test hook: may pause the reader before the step)
                }
                stepBegin();
                checkPoison(e, null);
                if (e.obj == obj && e.id == id) {                               // (2) compare obj and id [g_walk]
                    found = e;
                    data = e.data;                                              // (3) match: remember its data [g_walk]
                    stepEndVisit("g_walk", e, "match", null);
                    checkPoison(e, data);
                    break;
                }
                Entry next = e.next;                                            // (2) follow the next link (volatile load = acquire) [g_walk]
                stepEndVisit("g_walk", e, "follow", next);
                e = next;
            }
        } finally {
            stepBegin();
            if (section) {
                rcu.exit(reader);                                               // (3)/(4) rcu_read_unlock [g_unlock]
            }
            stepEndReadUnlock(op, found);
        }
        return data;
    }

    /**
     * Creates {@code <obj, id>} ({@code klp_shadow_alloc}). If it exists already: logs a WARNING
     * "Duplicate shadow variable" and returns null, without calling the ctor.
     *
     * <p>C parameters: {@code size} and the zeroing kzalloc become {@code allocate}; {@code gfp_flags}
     * has no counterpart (a Java allocation cannot be told not to sleep, and it runs outside the
     * lock anyway; failures are injected through {@link AllocationFaults}); {@code ctor_data} has
     * none either (the ctor lambda captures it). The result is an unchecked cast, C's
     * {@code void *}: the id decides the data's type.
     *
     * @param obj      the parent object, compared by identity
     * @param id       the variable's id (any long)
     * @param allocate creates the fresh data object; returning null = allocation failure (kzalloc returning NULL)
     * @param ctor     initialises the data under the lock before publication; may be null. A non-zero
     *                 result: nothing published, an ERROR is logged, null returned. If it throws:
     *                 nothing published, the lock released, and the exception reaches the caller.
     * @return the new data, or null (exists, allocation failure, ctor error code)
     * @throws NullPointerException if obj or allocate is null (table unchanged)
     * @throws IllegalStateException if called from a ctor or dtor of this table (table unchanged)
     */
    @SuppressWarnings("unchecked")
    public <T> T alloc(Object obj, long id, Supplier<? extends T> allocate, Constructor<? super T> ctor) {
        return (T) getOrAllocCore(obj, id, allocate, ctor, true, "alloc");
    }

    /**
     * The data of {@code <obj, id>}, creating it if absent ({@code klp_shadow_get_or_alloc}).
     * The ctor runs only if this call created the variable. Parameters as in
     * {@link #alloc(Object, long, Supplier, Constructor)}.
     *
     * @return the existing or new data, or null (allocation failure, ctor error code)
     */
    @SuppressWarnings("unchecked")
    public <T> T getOrAlloc(Object obj, long id, Supplier<? extends T> allocate, Constructor<? super T> ctor) {
        return (T) getOrAllocCore(obj, id, allocate, ctor, false, "getOrAlloc");
    }

    /** {@code __klp_shadow_get_or_alloc}. */
    private <T> Object getOrAllocCore(Object obj, long id, Supplier<? extends T> allocate,
                                      Constructor<? super T> ctor, boolean warnOnExist, String op) {
        Objects.requireNonNull(obj, "obj");
        Objects.requireNonNull(allocate, "allocate");
        requireNotInsideOwnCallback(op);                                        // (0) reentrancy check: table unchanged
        stepCall(op, obj, id);                                                  // [Call]
        Object existing = read(obj, id, op);                                    // (1) lockless pre-check [g_lock, g_walk, g_unlock]
        if (existing != null) {
            return exists(obj, id, existing, warnOnExist);
        }
        T data = faults.failNext(obj, id) ? null : allocate.get();              // (2) allocate outside the lock [a_alloc]
        if (data == null) {
            stepDone("a_alloc", null, "fail", "allocFail");
            return null;                                                        // (2) allocation failure [a_alloc]
        }
        Entry entry = new Entry(data);
        stepDone("a_alloc", entry, "ok");
        int errorCode = 0;
        boolean ctorThrew = false;
        Entry found = null;
        lock.lock();                                                            // (3) lock [a_lock]
        count(ALLOCATED);                                                       // (the speculative entry of (2), counted under the lock)
        stepLocked("a_lock");
        try {
            stepBegin();
            found = bug == SeededBug.NO_RECHECK ? null                          // (SEEDED BUG: no re-check)
                    : find(obj, id);                                            // (4) re-check under the lock [a_recheck]
            stepEnd("a_recheck", found);
            if (found != null) {
                existing = found.data;                                          // (4) found: drop the speculative entry [a_exists_unlock, a_kfree]
                count(DROPPED);
                if (bug == SeededBug.CTOR_ON_EXISTS && ctor != null) {
                    ctor.construct(obj, data);                                  // (SEEDED BUG: ctor on EXISTS)
                    stepDone("a_ctor", entry, "ok");
                }
            } else {
                stepBegin();
                entry.obj = obj;                                                // (5) set obj and id [a_set]
                entry.id = id;
                stepEnd("a_set", entry);
                if (bug == SeededBug.PUBLISH_BEFORE_CTOR) {
                    publish(entry);                                             // (SEEDED BUG: (7) before (6))
                }
                if (ctor != null) {
                    try {
                        errorCode = ctor.construct(obj, data);                  // (6) ctor under the lock [a_ctor]
                    } catch (Throwable t) {
                        count(DROPPED);                                         // (6) ctor threw: nothing published [a_ctor fails]
                        ctorThrew = true;
                        throw t;                                                // lock released in finally
                    } finally {
                        stepDone("a_ctor", entry, errorCode == 0 && !ctorThrew ? "ok" : "fail");
                    }
                }
                if (errorCode != 0) {
                    count(DROPPED);                                        // (6) ctor error: nothing published
                } else {
                    entry.ctorDone = ctor != null;
                    if (bug != SeededBug.PUBLISH_BEFORE_CTOR) {
                        publish(entry);                                         // (7) publish at the bucket head [a_publish]
                    }
                }
            }
        } finally {
            stepBeginUnlock();
            lock.unlock();                                                      // (8) unlock [a_unlock; a_exists_unlock, a_ctor_fail_unlock]
            stepEndAllocUnlock(found, entry, errorCode != 0 || ctorThrew, ctorThrew);
        }
        if (existing != null) {                                                 // (4) the speculative entry is dropped (kfree) [a_kfree]
            stepDoneReturning("a_kfree", entry, warnOnExist ? null : found, warnOnExist ? "dup" : "exists");
            return exists(obj, id, existing, warnOnExist);
        }
        if (errorCode != 0) {                                                   // (6) ctor error: the entry is dropped (kfree) [a_ctor_fail_kfree]
            stepDoneReturning("a_ctor_fail_kfree", entry, null, "ctorFail");
            logger.log(Level.ERROR, "Failed to construct shadow variable <" + obj + ", " + id + "> (" + errorCode + ")");
            return null;
        }
        return data;                                                            // (8) return the new data [a_unlock]
    }

    /** Step (7): links entry in front of its bucket's head and publishes it (caller holds the lock). */
    private void publish(Entry entry) {
        int b = bucketOf(entry.obj);
        stepBegin();
        Entry.NEXT.set(entry, buckets.get(b));                                  // (7) link to the old head, before publication [a_publish]
        Entry.STATE.set(entry, State.PUBLISHED);                                //     (plain stores: the head store below releases them)
        if (bug == SeededBug.PLAIN_HEAD_WRITE) {
            buckets.setPlain(b, entry);                                         // (SEEDED BUG: plain store, no release)
        } else {
            buckets.set(b, entry);                                              // (7) publish: volatile store = release [a_publish]
        }
        count(PUBLISHED);
        stepEnd("a_publish", entry);
    }

    /** The EXISTS exit: alloc warns and returns null, getOrAlloc returns the existing data. */
    private Object exists(Object obj, long id, Object existing, boolean warnOnExist) {
        if (warnOnExist) {
            logger.log(Level.WARNING, "Duplicate shadow variable <" + obj + ", " + id + ">");
            return null;
        }
        return existing;
    }

    /**
     * Removes {@code <obj, id>} if present ({@code klp_shadow_free}): unlinks it, calls the dtor
     * under the lock, and hands the entry to RCU. Reclamation happens after a grace period, at the
     * end of this or a later free or freeAll on a table of this domain (while readers are busy,
     * once {@link Rcu#BATCH} reclamations wait: see {@link Rcu#processCallbacksBatched()}), or at
     * {@link Rcu#processCallbacks()} or {@link Rcu#barrier()}. Absent: no-op. A throwing dtor: the variable is still removed, then
     * the exception reaches the caller.
     *
     * @param dtor called with (obj, data) under the lock; may be null
     * @throws NullPointerException if obj is null (table unchanged)
     * @throws IllegalStateException if called from a ctor or dtor of this table (table unchanged)
     */
    public <T> void free(Object obj, long id, Destructor<? super T> dtor) {
        Objects.requireNonNull(obj, "obj");
        requireNotInsideOwnCallback("free");                                    // (0) reentrancy check
        stepCall("free", obj, id);                                              // [Call]
        Throwable failure = null;
        boolean locking = bug != SeededBug.FREE_OUTSIDE_LOCK;                   // (SEEDED BUG: no lock)
        if (locking) {
            lock.lock();                                                        // (1) lock [f_lock]
        }
        stepLocked("f_lock");
        try {
            int b = bucketOf(obj);
            stepBegin();
            Entry prev = null;
            Entry found = null;
            for (Entry e = buckets.get(b); e != null; prev = e, e = e.next) {   // (2) walk the bucket [f_walk]
                checkPoison(e, null);
                if (e.obj == obj && e.id == id) {
                    found = e;                                                  // first match [f_walk]
                    break;
                }
            }
            stepEnd("f_walk", found);
            if (found != null) {
                failure = unlinkDestroyDefer(b, prev, found, dtor, false);      // first match: (a)-(c)
            }                                                                   // (d) stop
        } finally {
            stepBeginUnlock();
            if (locking) {
                lock.unlock();                                                  // (3) unlock [f_unlock]
            }
            stepEndReturning("f_unlock", null, null, "done");
        }
        finishWriter(failure);
    }

    /**
     * Removes every variable with this id, whatever its obj ({@code klp_shadow_free_all}).
     * Throwing dtors: every match is still removed; the first exception is thrown after the lock
     * is released, later ones added to it as suppressed. Walks every bucket (a cost proportional to
     * the table size).
     *
     * @param dtor called with (obj, data) for each match, under the lock; may be null
     * @throws IllegalStateException if called from a ctor or dtor of this table (table unchanged)
     */
    public <T> void freeAll(long id, Destructor<? super T> dtor) {
        requireNotInsideOwnCallback("freeAll");                                 // (0) reentrancy check
        stepCall("freeAll", null, id);                                          // [Call]
        Throwable failure = null;
        lock.lock();                                                            // (1) lock [fa_lock]
        try {
            int b = 0;
            stepBeginLocked();
            Entry e = buckets.get(b);                                           // (2) walk every bucket: bucket 0's head [fa_lock]
            stepEnd("fa_lock", e);
            Entry prev = null;
            while (true) {                                                      // (2) one entry (or bucket end) per step [fa_walk]
                stepBegin();
                if (e == null) {                                                // end of bucket b [fa_walk]
                    if (++b == buckets.length()) {
                        stepEndWalk("fa_walk", "end", null);
                        break;
                    }
                    e = buckets.get(b);                                         // (2) the next bucket's head [fa_walk]
                    prev = null;
                    stepEndWalk("fa_walk", "nextBucket", e);
                    continue;
                }
                checkPoison(e, null);
                Entry next = e.next;                                            // read here, before (a); the spec reads it in [fa_next]
                if (e.id == id) {                                               // every entry with that id [fa_walk]
                    stepEndVisit("fa_walk", e, "match", null);
                    Destructor<? super T> d = bug == SeededBug.FREEALL_SKIPS_DTOR ? null : dtor; // (SEEDED BUG: no dtor)
                    failure = Failures.combine(failure, unlinkDestroyDefer(b, prev, e, d, true)); // (a)-(c)
                    stepBegin();
                    e = next;                                                   // continue from the kept next link [fa_next]
                    stepEnd("fa_next", e);
                } else {
                    prev = e;
                    e = next;                                                   // no match: follow the next link [fa_walk]
                    stepEndVisit("fa_walk", prev, "follow", e);
                }
            }
        } finally {
            stepBeginUnlock();
            lock.unlock();                                                      // (3) unlock [fa_unlock]
            stepEndReturning("fa_unlock", null, null, "done");
        }
        finishWriter(failure);
    }

    /**
     * Steps (a)-(c) of free ({@code all} false: [f_del], [f_dtor], [f_kfree_rcu]) or freeAll
     * ({@code all} true: [fa_del], [fa_dtor], [fa_kfree_rcu]) for one entry (caller holds the lock);
     * returns what the dtor threw, or null.
     */
    @SuppressWarnings("unchecked")
    private <T> Throwable unlinkDestroyDefer(int bucket, Entry prev, Entry e, Destructor<? super T> dtor, boolean all) {
        stepBegin();
        if (prev == null) {                                                     // (a) hash_del_rcu: unlink, [f_del / fa_del]
            buckets.set(bucket, e.next);                                        //     e.next stays intact for
        } else {                                                                //     readers standing on e
            prev.next = e.next;
        }
        if (bug == SeededBug.UNLINK_CLEARS_NEXT) {
            e.next = null;                                                      // (SEEDED BUG: readers on e lose the rest)
        }
        Entry.STATE.setRelease(e, State.UNLINKED);                              //     (release store: no fence needed, nothing waits on it)
        count(UNLINKED);                                                        // (under the lock; racy only in the FREE_OUTSIDE_LOCK seeded bug)
        stepEnd(all ? "fa_del" : "f_del", e);
        Throwable thrown = null;
        if (dtor != null) {
            e.dtorDone = true;
            try {
                dtor.destroy(e.obj, (T) e.data);                                // (b) dtor under the lock [f_dtor / fa_dtor]
            } catch (Throwable t) {
                thrown = t;
            }
        }
        stepDone(all ? "fa_dtor" : "f_dtor", e, dtor != null ? "called" : "none");
        stepBegin();
        if (bug == SeededBug.RECLAIM_WITHOUT_GRACE_PERIOD) {
            reclaim(e);                                                         // (SEEDED BUG: kfree, no grace period)
        } else {
            rcu.callRcu(() -> reclaim(e));                                      // (c) kfree_rcu [f_kfree_rcu / fa_kfree_rcu]
        }
        stepEnd(all ? "fa_kfree_rcu" : "f_kfree_rcu", e);
        return thrown;
    }

    /** The RCU callback: poisons the entry (the stand-in for freeing its memory) [rcu_reclaim]. */
    private void reclaim(Entry e) {
        stepBegin();
        Entry.STATE.setRelease(e, State.RECLAIMED);                             // release store: a reader that loads RECLAIMED is reported
        e.obj = null;
        e.data = POISON;
        reclaimed.increment();
        stepEnd("rcu_reclaim", e);
    }

    /**
     * After a writer released the lock: opportunistic reclamation (batched while readers are busy,
     * see Rcu), then the dtor's exception if any.
     */
    private void finishWriter(Throwable failure) {
        try {
            rcu.processCallbacksBatched();
        } catch (Throwable t) {
            failure = Failures.combine(failure, t);
        }
        if (failure != null) {
            throw Failures.rethrow(failure);
        }
    }

    /** Walks obj's bucket for {@code <obj, id>} under the writer lock (the re-check (4)). */
    private Entry find(Object obj, long id) {
        for (Entry e = buckets.get(bucketOf(obj)); e != null; e = e.next) {      // volatile loads = acquire
            checkPoison(e, null);
            if (e.obj == obj && e.id == id) {
                return e;
            }
        }
        return null;
    }

    /** The KASAN stand-in: touching a reclaimed entry (or returning its poisoned data) is an error. */
    private void checkPoison(Entry e, Object dataRead) {
        if (e.state == State.RECLAIMED || dataRead == POISON) {
            poisonedReads.increment();
            throw new UseAfterReclaimError("read of a reclaimed shadow variable entry (id " + e.id
                    + "): a reader was not protected by a grace period");
        }
    }

    private void requireNotInsideOwnCallback(String op) {
        if (lock.isHeldByCurrentThread()) {
            throw new IllegalStateException(op + " called from a constructor or destructor of the same table:"
                    + " the writer lock is not recursive (the kernel would deadlock); the table is unchanged");
        }
    }

    /** Bucket of obj: the identity hash (the kernel hashes the pointer), spread and masked. */
    private int bucketOf(Object obj) {
        int h = System.identityHashCode(obj);
        return (h ^ (h >>> 16)) & mask;
    }

    // Recording mode (tests only, see StepRecorder): each helper forwards to rec if it is set. Off,
    // a call costs the one null check of the final field rec (the JIT inlines these tiny methods);
    // their arguments are locals and constants, no lambda, array or boxing.

    /** Records the Call step of operation {@code op} (obj null for freeAll). */
    private void stepCall(String op, Object obj, long id) {
        if (rec != null) {
            rec.call(op, obj, id);
        }
    }

    /** Starts a step (takes the step lock); a stepEnd... ends it. */
    private void stepBegin() {
        if (rec != null) {
            rec.begin();
        }
    }

    /** Starts a step under the just-taken writer lock: its holder becomes an RCU reader. */
    private void stepBeginLocked() {
        if (rec != null) {
            rec.begin();
            rec.lockHolderReads(rcu);
        }
    }

    /** Starts an unlock step: the writer-lock holder stops being an RCU reader. */
    private void stepBeginUnlock() {
        if (rec != null) {
            rec.begin();
            rec.lockHolderStopsReading(rcu);
        }
    }

    /** A whole lock step, just after lock(): begins, the holder becomes an RCU reader, ends. */
    private void stepLocked(String label) {
        if (rec != null) {
            rec.begin();
            rec.lockHolderReads(rcu);
            rec.end(label);
        }
    }

    /** Ends a step about {@code entry} (null is an observation for the labels that read a link). */
    private void stepEnd(String label, Entry entry) {
        if (rec != null) {
            rec.end(label, entry);
        }
    }

    /** Ends a step that returns the data of {@code result} (null: returns null) for reason {@code why}. */
    private void stepEndReturning(String label, Entry entry, Entry result, String why) {
        if (rec != null) {
            rec.endReturning(label, entry, result, why);
        }
    }

    /** Ends a walk step on {@code entry}: its obj and id (read now), the outcome and the next link. */
    private void stepEndVisit(String label, Entry entry, String outcome, Entry next) {
        if (rec != null) {
            rec.endVisit(label, entry, entry.obj, entry.id, outcome, next);
        }
    }

    /** Ends a walk step at the end of a bucket: the outcome and the entry stepped to. */
    private void stepEndWalk(String label, String outcome, Entry next) {
        if (rec != null) {
            rec.endWalk(label, outcome, next);
        }
    }

    /**
     * Records a whole step whose work ran just before, outside the step lock (the allocation, a
     * ctor, a dtor): begins and ends it at once.
     */
    private void stepDone(String label, Entry entry, String outcome) {
        if (rec != null) {
            rec.begin();
            rec.end(label, entry, outcome);
        }
    }

    /** Records a whole step, as {@link #stepDone(String, Entry, String)}, that returns null for reason {@code why}. */
    private void stepDone(String label, Entry entry, String outcome, String why) {
        if (rec != null) {
            rec.begin();
            rec.end(label, entry, outcome, null, null, why);
        }
    }

    /**
     * Records a whole step with no Java work of its own (the speculative entry is dropped, left to
     * the GC) that returns the data of {@code result} (null: returns null) for reason {@code why}.
     */
    private void stepDoneReturning(String label, Entry entry, Entry result, String why) {
        if (rec != null) {
            rec.begin();
            rec.endReturning(label, entry, result, why);
        }
    }

    /** Ends the g_unlock step: get returns; the pre-check returns if it found the key. */
    private void stepEndReadUnlock(String op, Entry found) {
        if (rec != null) {
            if (op.equals("get")) {
                rec.endReturning("g_unlock", found, found, "value");
            } else if (found == null) {
                rec.end("g_unlock", null);                                      // pre-check missed: go on to (2)
            } else if (op.equals("alloc")) {
                rec.endReturning("g_unlock", found, null, "dup");
            } else {
                rec.endReturning("g_unlock", found, found, "exists");
            }
        }
    }

    /**
     * Ends getOrAllocCore's unlock step (8), named after the way out; after a ctor that threw, also
     * records the a_ctor_fail_kfree step (after an error code, getOrAllocCore records it itself).
     */
    private void stepEndAllocUnlock(Entry found, Entry entry, boolean ctorFailed, boolean ctorThrew) {
        if (rec != null) {
            if (found != null) {
                rec.end("a_exists_unlock");
            } else if (ctorFailed) {
                rec.end("a_ctor_fail_unlock");
                if (ctorThrew) {
                    rec.begin();
                    rec.endReturning("a_ctor_fail_kfree", entry, null, "ctorFail");
                }
            } else {
                rec.endReturning("a_unlock", null, entry, "new");
            }
        }
    }
}
