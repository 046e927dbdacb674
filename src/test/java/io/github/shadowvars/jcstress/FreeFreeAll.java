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
import io.github.shadowvars.ShadowVariables;

/**
 * Race 7a: free(o1, id) ‖ freeAll(id), with &lt;o1, id&gt;, &lt;o2, id&gt; and &lt;o1, other id&gt;
 * in one bucket. &lt;o1, id&gt; is destroyed exactly once, by whichever runs first; freeAll
 * destroys &lt;o2, id&gt; in any case and leaves &lt;o1, other id&gt; alone.
 *
 * <p>Spec scenario: initial table {&lt;o1, i1&gt;, &lt;o2, i1&gt;, &lt;o1, i2&gt;};
 * Script = p1: &lt;&lt;Free(o1, i1)&gt;&gt;, p2: &lt;&lt;FreeAll(i1)&gt;&gt;
 * (model-check/race/FreeFreeAll.cfg; the spec's DestructorOnce).
 * Catches FREEALL_SKIPS_DTOR.
 *
 * <p>Result: r1 = free's dtor calls; r2 = freeAll's dtor calls; r3 = how many id entries are left;
 * r4 = the other-id entry is still there (1).
 */
@JCStressTest
@Outcome(id = "1, 1, 0, 1", expect = ACCEPTABLE, desc = "free first, then freeAll removes <o2, id>")
@Outcome(id = "0, 2, 0, 1", expect = ACCEPTABLE, desc = "freeAll first removes both, free finds nothing")
@Outcome(expect = FORBIDDEN, desc = "a dtor missing or doubled, an id entry left, or the other id removed")
@State
public class FreeFreeAll {
    final ShadowVariables table = Fixtures.table(0);
    final Object o1 = new Object();
    final Object o2 = new Object();
    final AtomicInteger freeDtorCalls = new AtomicInteger();
    final AtomicInteger freeAllDtorCalls = new AtomicInteger();

    public FreeFreeAll() {
        table.alloc(o1, Fixtures.ID, Object::new, null);
        table.alloc(o2, Fixtures.ID, Object::new, null);
        table.alloc(o1, Fixtures.OTHER_ID, Object::new, null);
    }

    @Actor
    public void freer() {
        table.free(o1, Fixtures.ID, Fixtures.countingDtor(freeDtorCalls));
    }

    @Actor
    public void allFreer() {
        table.freeAll(Fixtures.ID, Fixtures.countingDtor(freeAllDtorCalls));
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r1 = freeDtorCalls.get();
        r.r2 = freeAllDtorCalls.get();
        r.r3 = (table.get(o1, Fixtures.ID) != null ? 1 : 0) + (table.get(o2, Fixtures.ID) != null ? 1 : 0);
        r.r4 = table.get(o1, Fixtures.OTHER_ID) != null ? 1 : 0;
    }
}
