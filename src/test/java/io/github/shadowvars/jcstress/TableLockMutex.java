package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import io.github.shadowvars.TestTables;

/**
 * Race 11: the table's lock alone (klp_shadow_lock, class TableLock: test-and-set, spinning
 * briefly, then parking). Each actor locks, reads a plain counter, pauses a little (widening the
 * window), writes it back plus one and unlocks. Mutual exclusion and the lock's ordering (the
 * next holder sees the last holder's write) leave exactly two outcomes: one actor read 0, the
 * other 1, and the counter ends at 2. Both reading 0 (two holders at once, or a write not
 * released to the next holder) is forbidden.
 *
 * <p>Spec scenario: the spec's klp_shadow_lock (one atomic test-and-set step), modelled alone in
 * spec/race/LockRace.tla (model-check/race/TableLockMutex.cfg); the accept set is TLC's
 * (OutcomeSetsTest). Catches TABLE_LOCK_CHECK_THEN_SET (the test and the set as two steps).
 *
 * <p>Result: r1, r2 = the counter actor 1, 2 read inside the lock, plus {@link #OTHER_HOLDER}
 * if its unlock found another thread recorded as the holder (the lock's own check: two holders
 * at once); r3 = the counter at the end.
 */
@JCStressTest
@Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "actor 1 held the lock first")
@Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "actor 2 held the lock first")
@Outcome(expect = FORBIDDEN, desc = "both inside at once (r1 or r2 >= 10: seen by the lock at unlock), or a holder's"
        + " write not seen by the next holder")
@State
public class TableLockMutex {
    final TestTables.Lock lock = new TestTables.Lock();
    /** Plain: only the lock orders the two increments. */
    int counter;

    /** Added to an actor's result when its unlock found another thread recorded as the holder. */
    static final int OTHER_HOLDER = 10;

    int increment() {
        lock.lock();
        int seen = counter;
        Fixtures.pause();
        counter = seen + 1;
        try {
            lock.unlock();
        } catch (IllegalMonitorStateException e) {
            return seen + OTHER_HOLDER;     // the lock itself saw a second holder (a broken lock only)
        }
        return seen;
    }

    @Actor
    public void actor1(III_Result r) {
        r.r1 = increment();
    }

    @Actor
    public void actor2(III_Result r) {
        r.r2 = increment();
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = counter;
    }
}
