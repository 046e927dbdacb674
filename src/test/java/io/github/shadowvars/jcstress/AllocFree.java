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
import io.github.shadowvars.Constructor;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.jcstress.Fixtures.Data;

/**
 * Race 5a: alloc ‖ free of the same key on an empty table. The writers serialise on the lock:
 * free first finds nothing (the variable stays), or alloc first and free removes it (dtor once).
 *
 * <p>Spec scenario: Script = p1: &lt;&lt;Alloc(o1, i1)&gt;&gt;, p2: &lt;&lt;Free(o1, i1)&gt;&gt;
 * (model-check/race/AllocFree.cfg).
 *
 * <p>Result: r1 = alloc returned data (1) or null (0); r2 = dtor calls; r3 = the table holds the key (1) or not (0).
 */
@JCStressTest
@Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "free first (no-op), then alloc: the variable stays")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "alloc first, then free: removed, dtor once")
@Outcome(expect = FORBIDDEN, desc = "alloc failed on an empty table, or dtor count and table disagree")
@State
public class AllocFree {
    final ShadowVariables table = Fixtures.table(0);
    final Object obj = new Object();
    final AtomicInteger dtorCalls = new AtomicInteger();
    final Constructor<Data> ctor = Fixtures.countingCtor(new AtomicInteger());

    @Actor
    public void allocator(III_Result r) {
        r.r1 = table.alloc(obj, Fixtures.ID, () -> new Data(1), ctor) != null ? 1 : 0;
    }

    @Actor
    public void freer() {
        table.free(obj, Fixtures.ID, Fixtures.countingDtor(dtorCalls));
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r2 = dtorCalls.get();
        r.r3 = table.get(obj, Fixtures.ID) != null ? 1 : 0;
    }
}
