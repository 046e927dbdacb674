package io.github.shadowvars;

import java.util.concurrent.atomic.AtomicInteger;

/** A tracer that counts the table's lock and unlock steps: whether some thread holds the writer lock. */
final class LockWatch extends Tracer {
    private final AtomicInteger held = new AtomicInteger();

    @Override
    public void end(String label, Object entry, String outcome, Object next) {
        if (StepRecorder.UNLOCKS.contains(label)) {
            held.decrementAndGet();
        }
    }

    @Override
    public void done(String label, Object entry, String outcome) {
        if (StepRecorder.LOCKS.contains(label)) {
            held.incrementAndGet();
        }
    }

    /** Whether a lock step was reported without its unlock step. */
    boolean isLocked() {
        return held.get() > 0;
    }
}
