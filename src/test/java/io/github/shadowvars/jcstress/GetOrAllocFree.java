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
 * Race 5b: getOrAlloc ‖ free of a key that exists (old data, tag 1) when both start. Either
 * getOrAlloc returns the old data (its pre-check or re-check found it) and free then removes it,
 * or free removes it first and getOrAlloc creates new data (tag 2) that stays.
 *
 * <p>Spec scenario: initial table {&lt;o1, i1&gt;}; Script = p1: &lt;&lt;GetOrAlloc(o1, i1)&gt;&gt;,
 * p2: &lt;&lt;Free(o1, i1)&gt;&gt; (model-check/race/GetOrAllocFree.cfg).
 *
 * <p>Result: r1 = tag getOrAlloc returned (1 old, 2 new, 0 null); r2 = ctor calls; r3 = dtor calls;
 * r4 = tag the table holds at the end (0 = none).
 */
@JCStressTest
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "getOrAlloc found the old data, then free removed it")
@Outcome(id = "2, 1, 1, 2", expect = ACCEPTABLE, desc = "free removed the old data, then getOrAlloc created new data")
@Outcome(expect = FORBIDDEN, desc = "any other combination")
@State
public class GetOrAllocFree {
    final ShadowVariables table = Fixtures.table(0);
    final Object obj = new Object();
    final AtomicInteger ctorCalls = new AtomicInteger();
    final AtomicInteger dtorCalls = new AtomicInteger();
    final Constructor<Data> ctor = Fixtures.countingCtor(ctorCalls);

    public GetOrAllocFree() {
        table.alloc(obj, Fixtures.ID, () -> new Data(1), null);
    }

    @Actor
    public void getOrAllocator(IIII_Result r) {
        r.r1 = Data.tagOf(table.getOrAlloc(obj, Fixtures.ID, () -> new Data(2), ctor));
    }

    @Actor
    public void freer() {
        table.free(obj, Fixtures.ID, Fixtures.countingDtor(dtorCalls));
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = ctorCalls.get();
        r.r3 = dtorCalls.get();
        r.r4 = Data.tagOf(table.get(obj, Fixtures.ID));
    }
}
