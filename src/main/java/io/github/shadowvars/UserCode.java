package io.github.shadowvars;

/**
 * How the table treats code and objects it does not own: a parent object is named in log records
 * without running any of its code.
 */
final class UserCode {
    private UserCode() {
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
