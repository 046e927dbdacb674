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
 * Race 9a: the RCU domain alone, synchronize. A reader, inside one read-side section, loads a
 * shared reference and, if it got the node, reads the node's "reclaimed" flag a few times (staying
 * on the node a while, which widens the race window); as its last act
 * inside the section it sets {@code done}. The writer unlinks the node (stores null), calls
 * {@code synchronize()}, marks the node reclaimed and reads {@code done}.
 * <ul>
 *   <li>A reader that saw the node entered before the unlink, so synchronize waited for its
 *       section: the writer sees done = 1 and the reader never sees the node reclaimed.</li>
 *   <li>Sequential consistency alone would allow "saw node, saw it reclaimed" (writer runs
 *       entirely between the reader's two loads); only the grace period forbids it.</li>
 * </ul>
 *
 * <p>Spec scenario: the grace-period part of the spec (waitFor, ReclaimAfterGracePeriod), not a
 * two-operation Script: modelled alone in spec/race/RcuRace.tla with Mode = "synchronize"
 * (model-check/race/RcuGracePeriod.cfg); the accept set is TLC's (OutcomeSetsTest).
 * Catches RCU_WITHOUT_GRACE_PERIODS.
 *
 * <p>Result: r1 = reader saw the node (1) or null (0); r2 = it saw the node reclaimed (1);
 * r3 = the writer, after synchronize, saw the reader's section finished (1).
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "reader entered before the unlink; synchronize waited for it")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "reader entered after the unlink and finished before the check")
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "reader entered after the unlink, still running at the check")
@Outcome(expect = FORBIDDEN, desc = "reclaimed node seen inside a section, or synchronize returned before a section that saw the node ended")
@State
public class RcuGracePeriod {
    /** A node a reader can reach from {@link #ref}. */
    static final class Node {
        volatile int reclaimed;
    }

    final Rcu rcu = Fixtures.rcu();

    /** Reads n's flag several times (the reader stays on n a while): 1 if any read saw it reclaimed. */
    static int reclaimedWhileReading(Node n) {
        for (int i = 0; i < 20; i++) {
            if (n.reclaimed != 0) {
                return 1;
            }
            Thread.onSpinWait();
        }
        return 0;
    }

    final Node node = new Node();
    volatile Node ref = node;
    volatile int done;

    @Actor
    public void reader(III_Result r) {
        rcu.readLock();
        try {
            Node n = ref;
            r.r1 = n != null ? 1 : 0;
            r.r2 = n != null ? reclaimedWhileReading(n) : 0;
            done = 1;
        } finally {
            rcu.readUnlock();
        }
    }

    @Actor
    public void writer(III_Result r) {
        ref = null;           // unlink
        rcu.synchronize();    // grace period
        node.reclaimed = 1;   // reclaim
        r.r3 = done;
    }
}
