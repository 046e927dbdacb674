package io.github.shadowvars;

import java.lang.System.Logger;
import java.text.MessageFormat;
import java.util.ResourceBundle;
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
        return new ShadowVariables(bucketBits, rcu, faults, sink(log), Tracer.OFF);
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
        return new ShadowVariables(bucketBits, rcu, faults, logger, tracer);
    }

    /**
     * A table whose readers run {@code onStand} each time they stand on an entry inside their
     * read-side section (a harness pauses there to widen the race window it tests).
     */
    public static ShadowVariables pausingReaders(int bucketBits, Rcu rcu, Logger logger, Runnable onStand) {
        return new ShadowVariables(bucketBits, rcu, AllocationFaults.NEVER, logger, new ReaderPause(Tracer.OFF, onStand));
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
