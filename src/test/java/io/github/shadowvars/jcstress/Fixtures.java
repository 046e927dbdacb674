package io.github.shadowvars.jcstress;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjLongConsumer;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.Destructor;
import io.github.shadowvars.Rcu;
import io.github.shadowvars.ShadowVariables;

/**
 * What the jcstress harnesses of this package share: the table factory with the seeded-bug switch,
 * a data type whose constructor-written fields show partial publication, and counting ctor/dtor.
 *
 * <p>Seeded bugs. Every harness's {@code @State} constructor reads the system property
 * {@value #SEEDED_BUG_PROPERTY} (default {@code NONE}) and builds its table through
 * {@link #table(int, String)}. The value is the name of a {@code ShadowVariables.SeededBug}
 * constant, or {@value #RCU_WITHOUT_GRACE_PERIODS} for a correct table on an RCU domain whose grace
 * periods do not wait for readers ({@code Rcu.seededBugWithoutGracePeriods()}). Both switches are
 * package-private in {@code io.github.shadowvars} so that no user of the library can reach them; the
 * harnesses live in their own package (jcstress selects them with {@code -t io.github.shadowvars.jcstress}),
 * so this class opens the two test-only factories once through a private method-handle lookup
 * (every class on the class path is in the same unnamed module, which allows it).
 */
final class Fixtures {

    /** The system property that selects the seeded bug. */
    static final String SEEDED_BUG_PROPERTY = "shadowvars.seededBug";
    /** Seeded bug of the RCU domain rather than of the table. */
    static final String RCU_WITHOUT_GRACE_PERIODS = "RCU_WITHOUT_GRACE_PERIODS";

    /** The id every harness uses (any value works; the race is about keys sharing it). */
    static final long ID = 7;
    /** A second id, for entries that freeAll(ID) must leave alone. */
    static final long OTHER_ID = 8;

    /** {@code ShadowVariables.withSeededBug(int, Rcu, System.Logger, ObjLongConsumer, String)}. */
    private static final MethodHandle TABLE_WITH_SEEDED_BUG;
    /** {@code Rcu.seededBugWithoutGracePeriods()}. */
    private static final MethodHandle RCU_WITHOUT_GRACE;

    static {
        try {
            MethodHandles.Lookup tables = MethodHandles.privateLookupIn(ShadowVariables.class, MethodHandles.lookup());
            TABLE_WITH_SEEDED_BUG = tables.findStatic(ShadowVariables.class, "withSeededBug",
                    MethodType.methodType(ShadowVariables.class, int.class, Rcu.class, System.Logger.class,
                            ObjLongConsumer.class, String.class));
            MethodHandles.Lookup rcus = MethodHandles.privateLookupIn(Rcu.class, MethodHandles.lookup());
            RCU_WITHOUT_GRACE = rcus.findStatic(Rcu.class, "seededBugWithoutGracePeriods", MethodType.methodType(Rcu.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Fixtures() {
    }

    /** The seeded bug this JVM runs with: the system property, default {@code NONE}. */
    static String seededBug() {
        return System.getProperty(SEEDED_BUG_PROPERTY, "NONE");
    }

    /** An RCU domain: the real one, or with {@link #RCU_WITHOUT_GRACE_PERIODS} the broken one. */
    static Rcu rcu(String bug) {
        if (!RCU_WITHOUT_GRACE_PERIODS.equals(bug)) {
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
     * an expected outcome here, not news), with the given seeded bug.
     */
    static ShadowVariables table(int bucketBits, String bug) {
        return table(bucketBits, bug, null);
    }

    /**
     * As {@link #table(int, String)}, with {@code readVisit} called for every entry a get walk
     * visits (with the obj and id it read there), inside the read-side section: a harness uses it
     * to pause a reader on an entry and so widen the race window it tests.
     */
    static ShadowVariables table(int bucketBits, String bug, ObjLongConsumer<Object> readVisit) {
        String tableBug = RCU_WITHOUT_GRACE_PERIODS.equals(bug) ? "NONE" : bug;
        try {
            return (ShadowVariables) TABLE_WITH_SEEDED_BUG.invokeExact(bucketBits, rcu(bug), SILENT, readVisit, tableBug);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
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
