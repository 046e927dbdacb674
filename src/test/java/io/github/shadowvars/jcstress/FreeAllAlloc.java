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
 * Race 7b: freeAll(id) ‖ alloc(o2, id) with &lt;o1, id&gt; present, both objects in one bucket.
 * freeAll is atomic with respect to the other writer: it removes &lt;o1, id&gt; and either
 * also the new &lt;o2, id&gt; (alloc first) or not (freeAll first).
 *
 * <p>Spec scenario: initial table {&lt;o1, i1&gt;}; Script = p1: &lt;&lt;FreeAll(i1)&gt;&gt;,
 * p2: &lt;&lt;Alloc(o2, i1)&gt;&gt; (model-check/race/FreeAllAlloc.cfg).
 * Catches FREEALL_SKIPS_DTOR.
 *
 * <p>Result: r1 = alloc returned data (1) or null (0); r2 = dtor calls; r3 = &lt;o2, id&gt; is in the
 * table (1) or not (0); r4 = &lt;o1, id&gt; is in the table.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 0", expect = ACCEPTABLE, desc = "freeAll first removes <o1, id>; then alloc adds <o2, id>")
@Outcome(id = "1, 2, 0, 0", expect = ACCEPTABLE, desc = "alloc first; freeAll removes both")
@Outcome(expect = FORBIDDEN, desc = "alloc failed, dtor count and table disagree, or <o1, id> survived")
@State
public class FreeAllAlloc {
    final ShadowVariables table = Fixtures.table(0);
    final Object o1 = new Object();
    final Object o2 = new Object();
    final AtomicInteger dtorCalls = new AtomicInteger();
    final Constructor<Data> ctor = Fixtures.countingCtor(new AtomicInteger());

    public FreeAllAlloc() {
        table.alloc(o1, Fixtures.ID, () -> new Data(1), null);
    }

    @Actor
    public void allFreer() {
        table.freeAll(Fixtures.ID, Fixtures.countingDtor(dtorCalls));
    }

    @Actor
    public void allocator(IIII_Result r) {
        r.r1 = table.alloc(o2, Fixtures.ID, () -> new Data(2), ctor) != null ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r2 = dtorCalls.get();
        r.r3 = table.get(o2, Fixtures.ID) != null ? 1 : 0;
        r.r4 = table.get(o1, Fixtures.ID) != null ? 1 : 0;
    }
}
