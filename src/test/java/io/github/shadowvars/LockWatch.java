package io.github.shadowvars;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A tracer that counts the table's lock and unlock steps: whether some thread holds the writer lock. */
final class LockWatch implements Tracer {
    private static final Set<String> LOCKS = Set.of("a_lock", "f_lock", "fa_lock");
    private static final Set<String> UNLOCKS = Set.of("a_unlock", "a_exists_unlock", "a_ctor_fail_unlock", "f_unlock", "fa_unlock");
    private final AtomicInteger held = new AtomicInteger();

    @Override
    public void end(String label, Object entry, String outcome, Object next) {
        if (UNLOCKS.contains(label)) {
            held.decrementAndGet();
        }
    }

    @Override
    public void done(String label, Object entry, String outcome) {
        if (LOCKS.contains(label)) {
            held.incrementAndGet();
        }
    }

    /** Whether a lock step was reported without its unlock step. */
    boolean isLocked() {
        return held.get() > 0;
    }
}
