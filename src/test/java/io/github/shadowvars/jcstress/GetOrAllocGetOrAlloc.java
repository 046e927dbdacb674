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
 * Race 2: getOrAlloc ‖ getOrAlloc of the same key on an empty table. Both return the same data,
 * the one the table holds, fully constructed; the ctor runs once.
 *
 * <p>Spec scenario: Script = p1: &lt;&lt;GetOrAlloc(o1, i1)&gt;&gt;, p2: &lt;&lt;GetOrAlloc(o1, i1)&gt;&gt;
 * (model-check/race/GetOrAllocGetOrAlloc.cfg).
 * Catches NO_RECHECK (two different data) and CTOR_ON_EXISTS (ctor twice).
 *
 * <p>Result: r1, r2 = tag of the data actor 1 / actor 2 got (1 or 2 = whose allocate made it;
 * 0 = null; 9 = data with a partial ctor view); r3 = ctor calls; r4 = tag the table holds.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 1", expect = ACCEPTABLE, desc = "actor 1's data created and shared")
@Outcome(id = "2, 2, 1, 2", expect = ACCEPTABLE, desc = "actor 2's data created and shared")
@Outcome(expect = FORBIDDEN, desc = "different data, partial data, ctor not exactly once, or the table holds other data")
@State
public class GetOrAllocGetOrAlloc {
    final ShadowVariables table = Fixtures.table(0);
    final Object obj = new Object();
    final AtomicInteger ctorCalls = new AtomicInteger();
    final Constructor<Data> ctor = Fixtures.countingCtor(ctorCalls);

    @Actor
    public void actor1(IIII_Result r) {
        r.r1 = seen(table.getOrAlloc(obj, Fixtures.ID, () -> new Data(1), ctor));
    }

    @Actor
    public void actor2(IIII_Result r) {
        r.r2 = seen(table.getOrAlloc(obj, Fixtures.ID, () -> new Data(2), ctor));
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = ctorCalls.get();
        r.r4 = Data.tagOf(table.get(obj, Fixtures.ID));
    }

    private static int seen(Data d) {
        return Data.view(d) == 2 ? 9 : Data.tagOf(d);
    }
}
