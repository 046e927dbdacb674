package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import io.github.shadowvars.Flavour;
import io.github.shadowvars.ShadowVariables;

/**
 * Race 4: get ‖ free of a key that exists when both start, with the real RCU domain. The freeing
 * actor then calls {@code rcu().barrier()} (it is outside any read-side section), so reclamation
 * (poisoning) happens inside the race, as early as the grace period allows; the reader pauses on
 * the entry it visits (read-visit hook), so that this often falls inside its visit. The reader sees the
 * data or null, never a poisoned entry: the grace period waits for its read-side section. (On the
 * GC flavour there is no barrier and nothing is poisoned: r1 = 2 cannot occur.)
 *
 * <p>Spec scenario: initial table {&lt;o1, i1&gt;}; Script = p1: &lt;&lt;Get(o1, i1)&gt;&gt;,
 * p2: &lt;&lt;Free(o1, i1)&gt;&gt; (model-check/race/GetFree.cfg; the spec's NoUseAfterReclaim).
 * Catches RECLAIM_WITHOUT_GRACE_PERIOD, READER_NOT_REGISTERED and RCU_WITHOUT_GRACE_PERIODS (poison seen).
 *
 * <p>Result: r1 = reader (0 null, 1 the data, 2 poisoned entry = use after reclaim, 3 other data);
 * r2 = dtor calls; r3 = the table still holds the key (1) or not (0).
 */
@JCStressTest
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "reader after the unlink: null")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "reader before the unlink: the data")
@Outcome(expect = FORBIDDEN, desc = "use after reclaim, other data, dtor not once, or key still present")
@State
public class GetFree {
    /** The reader pauses on the entry it visits, so that the free and barrier fall inside the visit. */
    final ShadowVariables table = Fixtures.table(0, Fixtures::pause);
    final Object obj = new Object();
    final Object data = new Object();
    final AtomicInteger dtorCalls = new AtomicInteger();

    public GetFree() {
        table.alloc(obj, Fixtures.ID, () -> data, null);
    }

    @Actor
    public void reader(III_Result r) {
        r.r1 = Fixtures.read(table, obj, data);
    }

    @Actor
    public void freer() {
        table.free(obj, Fixtures.ID, Fixtures.countingDtor(dtorCalls));
        table.barrier(); // reclaim now, once the grace period allows (GC flavour: nothing to wait for)
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = dtorCalls.get();
        r.r3 = table.get(obj, Fixtures.ID) != null ? 1 : 0;
    }
}
