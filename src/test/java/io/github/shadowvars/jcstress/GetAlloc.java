package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.jcstress.Fixtures.Data;

/**
 * Race 3: get ‖ alloc of the same key on an empty table; the ctor writes three plain fields of
 * the data. The reader sees null (it linearizes before the insertion) or the fully constructed
 * data, never a partial view: publication (7) is a release store after the ctor (6), the
 * reader's load of the bucket head an acquire.
 *
 * <p>Spec scenario: Script = p1: &lt;&lt;Get(o1, i1)&gt;&gt;, p2: &lt;&lt;Alloc(o1, i1)&gt;&gt;
 * (model-check/race/GetAlloc.cfg; the spec's ConstructedBeforePublished).
 * Catches PUBLISH_BEFORE_CTOR (partial view); PLAIN_HEAD_WRITE would show the same outcome on a
 * weakly ordered CPU.
 *
 * <p>Result: r1 = reader's view (0 null, 1 fully constructed, 2 partial); r2 = alloc returned data (1) or null (0).
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "reader before the insertion: null")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "reader after the insertion: fully constructed data")
@Outcome(expect = FORBIDDEN, desc = "partial view of the ctor's writes, or alloc failed on an empty table")
@State
public class GetAlloc {
    final ShadowVariables table = Fixtures.table(0);
    final Object obj = new Object();
    final Constructor<Data> ctor = Fixtures.countingCtor(new AtomicInteger());

    @Actor
    public void reader(II_Result r) {
        r.r1 = Data.view(table.get(obj, Fixtures.ID));
    }

    @Actor
    public void writer(II_Result r) {
        r.r2 = table.alloc(obj, Fixtures.ID, () -> new Data(1), ctor) != null ? 1 : 0;
    }
}
