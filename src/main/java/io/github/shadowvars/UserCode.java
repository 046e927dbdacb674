package io.github.shadowvars;

/**
 * How the table treats code and objects it does not own: constructors and destructors run with a
 * per-thread mark that every table's writers check, and a parent object is named in log records
 * without running any of its code.
 */
final class UserCode {
    /*
     * The one static state of the library, on purpose. C has one klp_shadow_lock for every shadow
     * variable, and constructors and destructors run under it: a writer called from one of them
     * (which needs that lock) deadlocks, whatever "table" it is for. The Java tables have a lock
     * each, so the same nesting across two tables deadlocks only when two threads do it in
     * opposite orders (A's constructor calls B.alloc while B's calls A.alloc), rarely and
     * silently. The mark makes every such nesting fail at once on any thread, as the same-table
     * case does; like C's lock, it is JVM-wide by nature: it describes the calling thread, not a
     * table or a domain, so it cannot be owned by either. Its value is an int[1] (the callback
     * nesting depth), a JDK class, so it pins no class loader in a thread that outlives the
     * application. Costs: one ThreadLocal lookup per constructor or destructor call and per
     * writer that takes the lock.
     */
    private static final ThreadLocal<int[]> CALLBACK_DEPTH = new ThreadLocal<>();

    private UserCode() {
    }

    /** Runs a table's constructor with the calling thread marked as inside a callback. */
    static <T> int construct(Constructor<? super T> ctor, Object obj, T data) {
        int[] depth = enter();
        try {
            return ctor.construct(obj, data);
        } finally {
            depth[0]--;
        }
    }

    /** Runs a table's destructor with the calling thread marked as inside a callback. */
    static <T> void destroy(Destructor<? super T> dtor, Object obj, T data) {
        int[] depth = enter();
        try {
            dtor.destroy(obj, data);
        } finally {
            depth[0]--;
        }
    }

    private static int[] enter() {
        int[] depth = CALLBACK_DEPTH.get();
        if (depth == null) {
            depth = new int[1];
            CALLBACK_DEPTH.set(depth); // kept: the next callback of this thread reuses it
        }
        depth[0]++;
        return depth;
    }

    /**
     * Refuses writer {@code op} inside a constructor or destructor of any table (the table's own
     * lock check, which comes first, names the same-table case).
     *
     * @throws IllegalStateException if the calling thread is running a constructor or destructor
     */
    static void requireOutsideCallback(String op) {
        int[] depth = CALLBACK_DEPTH.get();
        if (depth != null && depth[0] > 0) {
            throw new IllegalStateException(op + " called from a constructor or destructor of another table: the"
                    + " kernel's klp_shadow_lock is one lock for every variable, so it would deadlock; the tables are"
                    + " unchanged");
        }
    }

    /**
     * {@code obj} in a log record, as the kernel's {@code %p} prints a pointer: its class name and
     * identity hash. Never {@code obj.toString()}: it may throw (turning alloc's documented null into
     * an exception), cost time, or put the user's data into the log.
     */
    static String pointer(Object obj) {
        return obj.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(obj));
    }
}
