package io.github.shadowvars;

import java.util.concurrent.atomic.AtomicInteger;

/** A tracer that counts the table's lock and unlock events: whether some thread holds the writer lock. */
final class LockWatch extends Tracer {
    private final AtomicInteger held = new AtomicInteger();

    @Override
    void locked() {
        held.incrementAndGet();
    }

    @Override
    void unlocked() {
        held.decrementAndGet();
    }

    /** Whether a lock event was reported without its unlock event. */
    boolean isLocked() {
        return held.get() > 0;
    }
}
