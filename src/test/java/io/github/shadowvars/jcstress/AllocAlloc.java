package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.jcstress.Fixtures.Data;

/**
 * Race 1: alloc ‖ alloc of the same key on an empty table. Exactly one alloc creates the variable
 * (the other sees it in the pre-check or the re-check under the lock and returns null), the ctor
 * runs once, and the table holds the winner's data.
 *
 * <p>Spec scenario: Script = p1: &lt;&lt;Alloc(o1, i1)&gt;&gt;, p2: &lt;&lt;Alloc(o1, i1)&gt;&gt;
 * (model-check/race/AllocAlloc.cfg).
 * Catches NO_RECHECK (both publish, ctor twice) and CTOR_ON_EXISTS (ctor twice).
 *
 * <p>Result: r1, r2 = actor 1's / actor 2's alloc returned its data (1) or null (0);
 * r3 = ctor calls; r4 = the tag of the data the table holds (actor 1 or 2; 0 = none).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "actor 1 created it, actor 2 got null (duplicate)")
@Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "actor 2 created it, actor 1 got null (duplicate)")
@Outcome(expect = FORBIDDEN, desc = "two creations, no creation, ctor not exactly once, or the table holds the loser")
@State
public class AllocAlloc {
    final ShadowVariables table = Fixtures.table(0);
    final Object obj = new Object();
    final AtomicInteger ctorCalls = new AtomicInteger();
    final Constructor<Data> ctor = Fixtures.countingCtor(ctorCalls);

    @Actor
    public void actor1(IIII_Result r) {
        r.r1 = table.alloc(obj, Fixtures.ID, () -> new Data(1), ctor) != null ? 1 : 0;
    }

    @Actor
    public void actor2(IIII_Result r) {
        r.r2 = table.alloc(obj, Fixtures.ID, () -> new Data(2), ctor) != null ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = ctorCalls.get();
        r.r4 = Data.tagOf(table.get(obj, Fixtures.ID));
    }
}
