package io.github.shadowvars.jcstress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.Destructor;
import io.github.shadowvars.Rcu;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.TestTables;

/**
 * What the jcstress harnesses of this package share: the table factory, a data type whose
 * constructor-written fields show partial publication, and counting ctor/dtor.
 *
 * <p>Seeded bugs. A seeded bug of the table is a patch of its source (src/test/seeded-bugs),
 * compiled into a class directory that {@link JcstressRun} puts first on the forked JVMs' class
 * path: the harnesses build real tables and get the broken class. The RCU domain's seeded bug is
 * still a switch of {@code Rcu}, selected by the system property {@value #SEEDED_BUG_PROPERTY} =
 * {@value #RCU_WITHOUT_GRACE_PERIODS} and reached through a private method-handle lookup.
 */
final class Fixtures {

    /** The system property that selects the RCU domain's seeded bug. */
    static final String SEEDED_BUG_PROPERTY = "shadowvars.seededBug";
    /** Seeded bug of the RCU domain rather than of the table. */
    static final String RCU_WITHOUT_GRACE_PERIODS = "RCU_WITHOUT_GRACE_PERIODS";

    /** The id every harness uses (any value works; the race is about keys sharing it). */
    static final long ID = 7;
    /** A second id, for entries that freeAll(ID) must leave alone. */
    static final long OTHER_ID = 8;

    /** {@code Rcu.seededBugWithoutGracePeriods()}. */
    private static final MethodHandle RCU_WITHOUT_GRACE;

    static {
        try {
            MethodHandles.Lookup rcus = MethodHandles.privateLookupIn(Rcu.class, MethodHandles.lookup());
            RCU_WITHOUT_GRACE = rcus.findStatic(Rcu.class, "seededBugWithoutGracePeriods", MethodType.methodType(Rcu.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Fixtures() {
    }

    /** An RCU domain: the real one, or the broken one when this JVM runs {@link #RCU_WITHOUT_GRACE_PERIODS}. */
    static Rcu rcu() {
        if (!RCU_WITHOUT_GRACE_PERIODS.equals(System.getProperty(SEEDED_BUG_PROPERTY))) {
            return new Rcu();
        }
        try {
            return (Rcu) RCU_WITHOUT_GRACE.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * A table of 2^bucketBits buckets on its own RCU domain, silent (alloc's "Duplicate" warning is
     * an expected outcome here, not news).
     */
    static ShadowVariables table(int bucketBits) {
        return TestTables.pausingReaders(bucketBits, rcu(), SILENT, () -> { });
    }

    /**
     * As {@link #table(int)}, with {@code onStand} run each time a reader stands on an entry inside
     * its read-side section: a harness pauses there to widen the race window it tests.
     */
    static ShadowVariables table(int bucketBits, Runnable onStand) {
        return TestTables.pausingReaders(bucketBits, rcu(), SILENT, onStand);
    }

    /**
     * Busy-waits a little (a few hundred nanoseconds): called by a reader standing on an entry, it
     * makes a concurrent writer's unlink and reclamation likely to fall inside the reader's visit.
     */
    static void pause() {
        for (int i = 0; i < PAUSE_SPINS; i++) {
            Thread.onSpinWait();
        }
    }

    /** How many spin-wait hints {@link #pause()} issues. */
    private static final int PAUSE_SPINS = 20;

    /** The data of a shadow variable: a tag saying who allocated it, and three fields the ctor writes. */
    static final class Data {
        /** Which actor's allocate created it (1, 2, ...); written before the allocation returns. */
        final int tag;
        /** Written by {@link #CTOR_WRITES} (plain fields: only publication orders them). */
        int a;
        int b;
        int c;

        Data(int tag) {
            this.tag = tag;
        }

        /** 0 for null, 1 if every ctor field is written, 2 for a partial view (a publication bug). */
        static int view(Data d) {
            if (d == null) {
                return 0;
            }
            return d.a == 1 && d.b == 2 && d.c == 3 ? 1 : 2;
        }

        /** The tag, 0 for null. */
        static int tagOf(Data d) {
            return d == null ? 0 : d.tag;
        }
    }

    /** A ctor that writes Data's three fields and counts its calls. */
    static Constructor<Data> countingCtor(AtomicInteger calls) {
        return (obj, d) -> {
            d.a = 1;
            d.b = 2;
            d.c = 3;
            calls.incrementAndGet();
            return 0;
        };
    }

    /** A dtor that counts its calls. */
    static Destructor<Object> countingDtor(AtomicInteger calls) {
        return (obj, d) -> calls.incrementAndGet();
    }

    /** A logger that drops everything. */
    static final System.Logger SILENT = new System.Logger() {
        @Override
        public String getName() {
            return "silent";
        }

        @Override
        public boolean isLoggable(Level level) {
            return false;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }
    };
}
