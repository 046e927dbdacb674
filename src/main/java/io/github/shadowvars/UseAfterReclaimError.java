package io.github.shadowvars;

/**
 * A read of a reclaimed (poisoned) table entry: the Java stand-in for the use-after-free that
 * KASAN would report in C. Only a broken grace period (or a broken table) can cause it.
 */
public final class UseAfterReclaimError extends AssertionError {
    private static final long serialVersionUID = 1L;

    UseAfterReclaimError(String message) {
        super(message);
    }
}
