package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import io.github.shadowvars.Rcu;

/**
 * Race 9b: the RCU domain alone, deferred callbacks. The reader is as in {@link RcuGracePeriod};
 * the writer unlinks the node, queues its reclamation with {@code callRcu} and calls
 * {@code processCallbacks()}, which runs it only if the grace period has already completed.
 * The arbiter calls {@code barrier()}, after which the callback must have run.
 *
 * <p>Spec scenario: the grace-period part of the spec (waitFor, ReclaimAfterGracePeriod), not a
 * two-operation Script: modelled alone in spec/race/RcuRace.tla with Mode = "callRcu"
 * (model-check/race/RcuCallback.cfg); the accept set is TLC's (OutcomeSetsTest).
 * Catches RCU_WITHOUT_GRACE_PERIODS.
 *
 * <p>Result: r1 = reader saw the node; r2 = it saw the node reclaimed; r3 = callbacks run by the
 * writer's processCallbacks (0 or 1); r4 = the node is reclaimed after barrier.
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 1", expect = ACCEPTABLE, desc = "reader saw the node; its section delayed the callback until barrier")
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "reader saw the node and left before processCallbacks ran the callback")
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "reader after the unlink; callback ran at barrier")
@Outcome(id = "0, 0, 1, 1", expect = ACCEPTABLE, desc = "reader after the unlink; callback ran at processCallbacks")
@Outcome(expect = FORBIDDEN, desc = "reclaimed node seen inside a section, or barrier returned before the callback ran")
@State
public class RcuCallback {
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

    @Actor
    public void reader(IIII_Result r) {
        rcu.readLock();
        try {
            Node n = ref;
            r.r1 = n != null ? 1 : 0;
            r.r2 = n != null ? reclaimedWhileReading(n) : 0;
        } finally {
            rcu.readUnlock();
        }
    }

    @Actor
    public void writer(IIII_Result r) {
        ref = null;                                // unlink
        rcu.callRcu(() -> node.reclaimed = 1);     // reclaim after a grace period
        r.r3 = rcu.processCallbacks();
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        rcu.barrier();
        r.r4 = node.reclaimed;
    }
}
