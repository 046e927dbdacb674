package io.github.shadowvars.model;

import io.github.shadowvars.Stats;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.shadowvars.AllocationFaults;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.Destructor;
import io.github.shadowvars.Flavour;
import io.github.shadowvars.Keys;
import io.github.shadowvars.Rcu;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.TestTables;

/**
 * The five operations of a shadow variable table, as the model-based checks call them. The real
 * table ({@link #real}) and the seeded-bug fakes ({@link SeededBug}) implement it, so the same
 * checker runs against both: ShadowVariables is final, so the fakes delegate instead of extending.
 */
interface TableUnderTest {

    Object get(Object obj, long id);

    Object alloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor);

    Object getOrAlloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor);

    void free(Object obj, long id, Destructor<Object> dtor);

    void freeAll(long id, Destructor<Object> dtor);

    Stats stats();

    Rcu rcu();

    /** Weak tables: simulates the collection of obj (every variable of obj stale, none destroyed); returns how many it made stale. */
    default int collect(Object obj) {
        throw new UnsupportedOperationException("not a weak table");
    }

    /** Weak tables: {@link ShadowVariables#expunge()}. */
    default int expunge() {
        throw new UnsupportedOperationException("not a weak table");
    }

    /** Builds a table under test with 2^bucketBits buckets, the given allocation faults and log sink. */
    @FunctionalInterface
    interface Factory {
        TableUnderTest create(int bucketBits, AllocationFaults faults, Consumer<String> log);
    }

    /** The real table, with its own RCU domain (checked flavour); log records ("LEVEL message") go to log. */
    static TableUnderTest real(int bucketBits, AllocationFaults faults, Consumer<String> log) {
        return new Real(TestTables.withLog(bucketBits, new Rcu(), faults, log));
    }

    /** The real table without an RCU domain (GC flavour: removed entries left to the garbage collector). */
    static TableUnderTest realGc(int bucketBits, AllocationFaults faults, Consumer<String> log) {
        return new Real(TestTables.withLog(bucketBits, null, faults, log));
    }

    /** The real table with weak keys, checked flavour. */
    static TableUnderTest realWeak(int bucketBits, AllocationFaults faults, Consumer<String> log) {
        return new Real(TestTables.withLog(bucketBits, new Rcu(), faults, Keys.WEAK, log));
    }

    /** The real table with weak keys, GC flavour. */
    static TableUnderTest realWeakGc(int bucketBits, AllocationFaults faults, Consumer<String> log) {
        return new Real(TestTables.withLog(bucketBits, null, faults, Keys.WEAK, log));
    }

    /** {@link #realWeak} or {@link #realWeakGc}. */
    static Factory realWeak(Flavour flavour) {
        return flavour == Flavour.CHECKED ? TableUnderTest::realWeak : TableUnderTest::realWeakGc;
    }

    /** {@link #real} or {@link #realGc}. */
    static Factory real(Flavour flavour) {
        return flavour == Flavour.CHECKED ? TableUnderTest::real : TableUnderTest::realGc;
    }

    /** Plain delegation to a {@link ShadowVariables}. */
    class Real implements TableUnderTest {
        final ShadowVariables table;

        Real(ShadowVariables table) {
            this.table = table;
        }

        @Override
        public Object get(Object obj, long id) {
            return table.get(obj, id);
        }

        @Override
        public Object alloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor) {
            return table.alloc(obj, id, allocate, ctor);
        }

        @Override
        public Object getOrAlloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor) {
            return table.getOrAlloc(obj, id, allocate, ctor);
        }

        @Override
        public void free(Object obj, long id, Destructor<Object> dtor) {
            table.free(obj, id, dtor);
        }

        @Override
        public void freeAll(long id, Destructor<Object> dtor) {
            table.freeAll(id, dtor);
        }

        @Override
        public Stats stats() {
            return table.stats();
        }

        @Override
        public Rcu rcu() {
            return table.rcu();
        }

        @Override
        public int collect(Object obj) {
            return TestTables.collect(table, obj);
        }

        @Override
        public int expunge() {
            return table.expunge();
        }
    }
}
