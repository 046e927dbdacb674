package io.github.shadowvars;

import java.lang.System.Logger;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A table whose primitives report their events to a {@link Tracer}: the one subclass of
 * {@link ShadowVariables}, for the checks that watch it (trace validation, tests that pause a
 * thread at an event). As the C check's shims wrap the kernel's primitives (kernel-check/trace.c),
 * each override here runs the table's own primitive between its events; the algorithm is not
 * repeated. A shared-memory access runs between {@link Tracer#begin()} and the event that names
 * what it did (Tracer's protocol); the operations report their call and their one return point.
 *
 * <p>A program that never creates one never loads this class, and the JIT then inlines every
 * primitive of ShadowVariables by class hierarchy analysis (ShadowVariables' tracing note). In a
 * JVM that loads it (a test run), every table's primitive calls are virtual again.
 */
final class TracedShadowVariables extends ShadowVariables {
    private final Tracer trace;

    TracedShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults, Keys keys, Logger logger, Tracer trace) {
        super(bucketBits, rcu, faults, keys, logger);
        this.trace = Objects.requireNonNull(trace, "trace");
    }

    TracedShadowVariables(int bucketBits, Rcu rcu, AllocationFaults faults, Logger logger, Tracer trace) {
        this(bucketBits, rcu, faults, Keys.STRONG, logger, trace);
    }

    // The operations: the call, the table's own operation, its one return point. The arguments are
    // checked first, as the table checks them, so that a refused call records nothing.

    @Override
    public <T> T get(Object obj, long id) {
        Objects.requireNonNull(obj, "obj");
        return recorded("get", obj, id, () -> super.get(obj, id));
    }

    @Override
    public <T> T alloc(Object obj, long id, Supplier<? extends T> allocate, Constructor<? super T> ctor) {
        Objects.requireNonNull(obj, "obj");
        Objects.requireNonNull(allocate, "allocate");
        return recorded("alloc", obj, id, () -> super.alloc(obj, id, allocate, ctor));
    }

    @Override
    public <T> T getOrAlloc(Object obj, long id, Supplier<? extends T> allocate, Constructor<? super T> ctor) {
        Objects.requireNonNull(obj, "obj");
        Objects.requireNonNull(allocate, "allocate");
        return recorded("getOrAlloc", obj, id, () -> super.getOrAlloc(obj, id, allocate, ctor));
    }

    /** The call of {@code op}, the operation, its one return point (none if it throws). */
    private <T> T recorded(String op, Object obj, long id, Supplier<T> operation) {
        trace.call(op, obj, id);                                                // [Call]
        T data = operation.get();
        trace.returned(data);
        return data;
    }

    @Override
    <T> Throwable klpShadowFree(Object obj, long id, Destructor<? super T> dtor) {
        trace.call("free", obj, id);                                            // [Call], after free's own checks
        Throwable thrown = super.klpShadowFree(obj, id, dtor);
        trace.returned(null);                                                   // before the callbacks and the dtor's exception
        return thrown;
    }

    @Override
    <T> Throwable klpShadowFreeAll(long id, Destructor<? super T> dtor) {
        trace.call("freeAll", null, id);                                        // [Call]
        Throwable thrown = super.klpShadowFreeAll(id, dtor);
        trace.returned(null);
        return thrown;
    }

    @Override
    int klpShadowExpunge() {
        trace.call("expunge", null, 0);                                         // [Call]
        int n = super.klpShadowExpunge();
        trace.returned(n);
        return n;
    }

    // The primitives.

    @Override
    long[] rcuReadLock() {
        long[] reader = super.rcuReadLock();
        trace.readLocked();
        return reader;
    }

    @Override
    void rcuReadUnlock(long[] reader) {
        trace.begin();
        super.rcuReadUnlock(reader);
        trace.readUnlocked();
    }

    @Override
    void spinLock() {
        super.spinLock();
        trace.locked();
    }

    @Override
    void spinUnlock() {
        trace.begin();
        super.spinUnlock();
        trace.unlocked();
    }

    @Override
    Entry headAt(int b) {
        trace.begin();
        Entry head = super.headAt(b);
        trace.headLoaded(head);
        return head;
    }

    @Override
    Entry nextOf(Entry e) {
        trace.begin();
        Entry next = super.nextOf(e);
        trace.linkLoaded(e, next);
        return next;
    }

    @Override
    void hashAddRcu(Entry entry) {
        trace.begin();
        super.hashAddRcu(entry);
        trace.published(entry);
    }

    @Override
    void hashDelRcu(Entry e) {
        trace.begin();
        super.hashDelRcu(e);
        trace.unlinked(e);
    }

    @Override
    <T> Entry kzalloc(Object obj, long id, Supplier<? extends T> allocate) {
        Entry entry = super.kzalloc(obj, id, allocate);
        trace.allocated(entry, entry == null ? null : entry.data);
        return entry;
    }

    @Override
    void kfree(Entry e) {
        super.kfree(e);
        trace.kfree(e);
    }

    @Override
    void kfreeRcu(Entry e) {
        trace.begin();
        super.kfreeRcu(e);
        trace.kfreeRcu(e);
    }

    @Override
    void reclaim(Entry e) {
        trace.begin();
        super.reclaim(e);
        trace.reclaimed(e);
    }

    @Override
    <T> int construct(Constructor<? super T> ctor, Object obj, T data) {
        int error = -1;
        try {
            return error = super.construct(ctor, obj, data);
        } finally {
            trace.constructed(obj, data, error == 0);
        }
    }

    @Override
    <T> void destroy(Destructor<? super T> dtor, Object obj, T data) {
        try {
            super.destroy(dtor, obj, data);
        } finally {
            trace.destroyed(obj, data);
        }
    }

    @Override
    WeakKey pollCollected() {
        WeakKey k = super.pollCollected();
        trace.polled(k);
        return k;
    }

    @Override
    Object poisoned(Entry e) {
        trace.useAfterReclaim(e);                                               // KASAN's report, before the error
        return super.poisoned(e);
    }
}
