package io.github.shadowvars.jcstress;

import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.Destructor;
import io.github.shadowvars.Flavour;
import io.github.shadowvars.Keys;
import io.github.shadowvars.Rcu;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.TestTables;
import io.github.shadowvars.UseAfterReclaimError;

/**
 * What the jcstress harnesses of this package share: the table factory, a data type whose
 * constructor-written fields show partial publication, and counting ctor/dtor.
 *
 * <p>Seeded bugs. A seeded bug (of the table or of the RCU domain) is a patch of the library's
 * source (src/test/seeded-bugs), compiled into a class directory that {@link JcstressRun} puts
 * first on the forked JVMs' class path: the harnesses build real tables and domains and get the
 * broken classes.
 *
 * <p>Flavour. The table harnesses build tables of this JVM's {@link Flavour} (system property
 * {@value Flavour#PROPERTY}, default CHECKED): {@link JcstressTest}'s GC run passes
 * {@code -Dshadowvars.flavour=GC} to jcstress's forked JVMs. The RCU harnesses use {@link #rcu()},
 * whatever the flavour.
 */
final class Fixtures {

    /** The id every harness uses (any value works; the race is about keys sharing it). */
    static final long ID = 7;
    /** A second id, for entries that freeAll(ID) must leave alone. */
    static final long OTHER_ID = 8;

    private Fixtures() {
    }

    /** The flavour of the tables this JVM's harnesses build. */
    static final Flavour FLAVOUR = Flavour.fromSystemProperty();

    /** A new RCU domain (the seeded bug's, when this JVM runs one). */
    static Rcu rcu() {
        return new Rcu();
    }

    /**
     * A table of 2^bucketBits buckets on its own RCU domain ({@link #FLAVOUR} CHECKED) or none (GC),
     * silent (alloc's "Duplicate" warning is an expected outcome here, not news).
     */
    static ShadowVariables table(int bucketBits) {
        return table(bucketBits, () -> { });
    }

    /**
     * As {@link #table(int)}, with {@code onStand} run each time a reader stands on an entry inside
     * its read-side section: a harness pauses there to widen the race window it tests.
     */
    static ShadowVariables table(int bucketBits, Runnable onStand) {
        return TestTables.pausingReaders(bucketBits, FLAVOUR == Flavour.CHECKED ? rcu() : null, SILENT, onStand);
    }

    /** As {@link #table(int, Runnable)}, with weak keys ({@link Keys#WEAK}). */
    static ShadowVariables weakTable(int bucketBits, Runnable onStand) {
        return TestTables.pausingReaders(bucketBits, FLAVOUR == Flavour.CHECKED ? rcu() : null, Keys.WEAK, SILENT, onStand);
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

    /**
     * A reader's outcome: {@code table.get(obj, ID)} as 0 (NULL), 1 (the expected data), 2 (a use
     * after reclaim: the reader was not protected) or 3 (other data).
     */
    static int read(ShadowVariables table, Object obj, Object expected) {
        try {
            Object d = table.get(obj, ID);
            return d == null ? 0 : d == expected ? 1 : 3;
        } catch (UseAfterReclaimError e) {
            return 2;
        }
    }

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
