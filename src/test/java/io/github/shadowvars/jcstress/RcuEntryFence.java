package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import io.github.shadowvars.Rcu;

/**
 * Race 9c: RcuGracePeriod (9a) on one RCU domain shared by every state of the forked JVM, so
 * that the reader is registered long before (its entry store is not preceded by registration's
 * CAS) and the writers' scans keep its record's cache line shared: the race of the reader's entry
 * store (a store-load fenced store) with its load of the node, against the writer's unlink and its
 * grace period's scan. A section of another state only makes a grace period wait longer.
 *
 * <p>Spec scenario: as RcuGracePeriod (spec/race/RcuRace.tla, Mode "synchronize",
 * model-check/race/RcuEntryFence.cfg; the accept set is TLC's, OutcomeSetsTest). Catches
 * READER_ENTRY_RELEASE_STORE, rarely: {@code 1, 1, 0} (the writer's grace period ended and it
 * reclaimed the node while the reader, which had got the node, was still inside) 78 times in
 * 14.7 M samples (2 x 30 s, 2 cores, x86-64); RcuGracePeriod, on a fresh domain per state, has
 * not seen it (see README.md in this directory).
 *
 * <p>Result: as RcuGracePeriod.
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "reader entered before the unlink; synchronize waited for it")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "reader entered after the unlink and finished before the check")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "reader entered after the unlink, still running at the check")
@Outcome(expect = FORBIDDEN, desc = "reclaimed node seen inside a section, or synchronize returned before a section that saw the node ended")
@State
public class RcuEntryFence {
    /** One domain for every state (see the class comment). */
    static final Rcu RCU = Fixtures.rcu();

    final RcuGracePeriod.Node node = new RcuGracePeriod.Node();
    volatile RcuGracePeriod.Node ref = node;
    volatile int done;

    @Actor
    public void reader(III_Result r) {
        RCU.readLock();
        try {
            RcuGracePeriod.Node n = ref;
            r.r1 = n != null ? 1 : 0;
            r.r2 = n != null ? RcuGracePeriod.reclaimedWhileReading(n) : 0;
            done = 1;
        } finally {
            RCU.readUnlock();
        }
    }

    @Actor
    public void writer(III_Result r) {
        ref = null;           // unlink
        RCU.synchronize();    // grace period
        node.reclaimed = 1;   // reclaim
        r.r3 = done;
    }
}
