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
import io.github.shadowvars.ShadowVariables;

/**
 * Race 6: free ‖ free of the same existing key. Exactly one of them finds it, so exactly one
 * dtor runs; the key is gone.
 *
 * <p>Spec scenario: initial table {&lt;o1, i1&gt;}; Script = p1: &lt;&lt;Free(o1, i1)&gt;&gt;,
 * p2: &lt;&lt;Free(o1, i1)&gt;&gt; (model-check/race/FreeFree.cfg; the spec's DestructorOnce).
 * Catches FREE_OUTSIDE_LOCK (both find it: two dtor calls).
 *
 * <p>Result: r1 = calls of actor 1's dtor; r2 = calls of actor 2's dtor; r3 = the table holds the key (1) or not (0).
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "actor 1 removed it, actor 2 found nothing")
@Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "actor 2 removed it, actor 1 found nothing")
@Outcome(expect = FORBIDDEN, desc = "dtor not exactly once, or the key survived")
@State
public class FreeFree {
    final ShadowVariables table = Fixtures.table(0);
    final Object obj = new Object();
    final AtomicInteger dtor1Calls = new AtomicInteger();
    final AtomicInteger dtor2Calls = new AtomicInteger();

    public FreeFree() {
        table.alloc(obj, Fixtures.ID, Object::new, null);
    }

    @Actor
    public void freer1() {
        table.free(obj, Fixtures.ID, Fixtures.countingDtor(dtor1Calls));
    }

    @Actor
    public void freer2() {
        table.free(obj, Fixtures.ID, Fixtures.countingDtor(dtor2Calls));
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r1 = dtor1Calls.get();
        r.r2 = dtor2Calls.get();
        r.r3 = table.get(obj, Fixtures.ID) != null ? 1 : 0;
    }
}
