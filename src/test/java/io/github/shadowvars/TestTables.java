package io.github.shadowvars;

import java.lang.System.Logger;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Tables for test code (also outside this package: model, jcstress): reaches the table's
 * package-private constructor to send its log to a sink and to pause readers.
 */
public final class TestTables {

    private TestTables() {
    }

    /**
     * A table whose log records go to log, each as "LEVEL message" (for example
     * "WARNING Duplicate shadow variable &lt;o1, 1&gt;").
     */
    public static ShadowVariables withLog(int bucketBits, Rcu rcu, AllocationFaults faults, Consumer<String> log) {
        return new ShadowVariables(bucketBits, rcu, faults, Keys.STRONG, sink(log));
    }

    /** A table holding its objects as {@code keys} says, whose log records go to log (see {@link #withLog}). */
    public static ShadowVariables withLog(int bucketBits, Rcu rcu, AllocationFaults faults, Keys keys, Consumer<String> log) {
        return new ShadowVariables(bucketBits, rcu, faults, keys, sink(log));
    }

    /** A table holding its objects as {@code keys} says, with the given logger and tracer. */
    static ShadowVariables table(int bucketBits, Rcu rcu, AllocationFaults faults, Keys keys, Logger logger, Tracer tracer) {
        return new TracedShadowVariables(bucketBits, rcu, faults, keys, logger, tracer);
    }

    /**
     * The weak keys of obj's variables linked in weak table t (the test's view into the table,
     * by reflection on its buckets, walking obj's bucket; none on a strong table). Not shipped: the library has no way
     * to reach an entry's reference, only the collector clears it.
     */
    public static List<Reference<?>> weakKeys(ShadowVariables t, Object obj) {
        List<Reference<?>> keys = new ArrayList<>();
        AtomicReferenceArray<?> buckets = buckets(t);
        int b = t.bucketOf(obj);
        // Volatile loads of the head and the links, as a reader's walk (safe beside writers: an
        // unlinked entry keeps its next link; a reclaimed one too, and obj is not poisoned).
        for (ShadowVariables.Entry e = (ShadowVariables.Entry) buckets.get(b); e != null; e = e.next) {
            if (e.obj instanceof ShadowVariables.WeakKey k && k.get() == obj) {
                keys.add(k);
            }
        }
        return keys;
    }

    /**
     * Simulates the collection of obj, deterministically: every weak key of obj linked in t is
     * cleared and enqueued ({@link Reference#enqueue()}), as the collector clears every weak
     * reference to an object at once and then reports them. The caller must not use obj with t
     * afterwards (the spec's Die(o): the driver draws no operation on o), except to observe that
     * it is gone.
     *
     * @return how many keys it enqueued (obj's linked variables)
     */
    public static int collect(ShadowVariables t, Object obj) {
        List<Reference<?>> keys = weakKeys(t, obj);
        keys.forEach(Reference::enqueue);
        return keys.size();
    }

    /**
     * Clears obj's weak keys in t without enqueueing them: the collector has cleared them and
     * not yet reported them (the queue is filled after the clearing, by the JDK's reference
     * handler), so a write's expunge does not see them; freeAll meets them in its walk.
     *
     * @return the keys, cleared (enqueue them later to report them)
     */
    public static List<Reference<?>> clearOnly(ShadowVariables t, Object obj) {
        List<Reference<?>> keys = weakKeys(t, obj);
        keys.forEach(Reference::clear);
        return keys;
    }

    private static AtomicReferenceArray<?> buckets(ShadowVariables t) {
        try {
            Field f = ShadowVariables.class.getDeclaredField("buckets");
            f.setAccessible(true);
            return (AtomicReferenceArray<?>) f.get(t);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the test view of the table's buckets: " + e, e);
        }
    }

    /** The tables' lock (package-private class), for the jcstress harness TableLockMutex. */
    public static final class Lock {
        private final TableLock lock = new TableLock();

        public void lock() {
            lock.lock();
        }

        public void unlock() {
            lock.unlock();
        }
    }

    /** A table with the given logger and tracer. */
    static ShadowVariables table(int bucketBits, Rcu rcu, AllocationFaults faults, Logger logger, Tracer tracer) {
        return new TracedShadowVariables(bucketBits, rcu, faults, logger, tracer);
    }

    /**
     * A table whose readers run {@code onStand} each time they stand on an entry inside their
     * read-side section (a harness pauses there to widen the race window it tests).
     */
    public static ShadowVariables pausingReaders(int bucketBits, Rcu rcu, Logger logger, Runnable onStand) {
        return pausingReaders(bucketBits, rcu, Keys.STRONG, logger, onStand);
    }

    /** {@link #pausingReaders(int, Rcu, Logger, Runnable)} holding its objects as {@code keys} says. */
    public static ShadowVariables pausingReaders(int bucketBits, Rcu rcu, Keys keys, Logger logger, Runnable onStand) {
        return new TracedShadowVariables(bucketBits, rcu, AllocationFaults.NEVER, keys, logger, new ReaderPause(Tracer.OFF, onStand));
    }

    /** A logger that passes each record to {@code log} as "LEVEL message". */
    public static Logger sink(Consumer<String> log) {
        return new Logger() {
            @Override
            public String getName() {
                return "test-sink";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                log.accept(level + " " + msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                log.accept(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
            }
        };
    }
}
