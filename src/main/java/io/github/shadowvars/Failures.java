package io.github.shadowvars;

/** Rethrowing a caught throwable unchanged (shared by the table and the RCU domain). */
final class Failures {
    private Failures() {
    }

    /**
     * Throws {@code t} as it is: unchecked exceptions and errors directly, a checked exception
     * (only possible through a "sneaky" throw in a callback) without wrapping.
     * Declared to return so that callers can write {@code throw Failures.rethrow(t)}.
     */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw Failures.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** Keeps the first failure, adds a later one as suppressed; returns the failure to keep. */
    static Throwable combine(Throwable first, Throwable next) {
        if (next == null) {
            return first;
        }
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }
}
