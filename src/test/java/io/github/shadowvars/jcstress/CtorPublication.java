package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.ShadowVariables;

/**
 * Race 10: constructor publication beyond the data's own fields. The writer's getOrAlloc runs a
 * ctor that builds a separate object (two plain fields), stores it in the data, and marks the
 * parent object (a plain field), as a livepatch ctor initialising from its parent would. A reader
 * whose get returns the data must see everything the ctor wrote: the release store that
 * publishes the entry (7) comes after all of it in the writer's program order.
 *
 * <p>Spec scenario: Script = p1: &lt;&lt;Get(o1, i1)&gt;&gt;, p2: &lt;&lt;GetOrAlloc(o1, i1)&gt;&gt;
 * (model-check/race/CtorPublication.cfg; the spec's ConstructedBeforePublished; the spec has no
 * weak memory, so "partial" is the same outcome as a get that saw an unconstructed entry).
 * Catches PUBLISH_BEFORE_CTOR.
 *
 * <p>Result: r1 = reader got the data (1) or null (0); r2 = the ctor's inner object, as the reader
 * sees it (0 when r1 = 0; 1 complete; 2 missing or partial); r3 = the parent's mark (0 when r1 = 0).
 */
@JCStressTest
@Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "reader before the insertion: null")
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "reader after the insertion: sees all the ctor wrote")
@Outcome(expect = FORBIDDEN, desc = "data visible but some ctor write not")
@State
public class CtorPublication {
    /** The parent object: a plain field the ctor sets. */
    static final class Parent {
        int marked;
    }

    /** An object the ctor builds. */
    static final class Inner {
        int x;
        int y;
    }

    /** The shadow data: a reference the ctor fills. */
    static final class Shadow {
        Inner inner;
    }

    final ShadowVariables table = Fixtures.table(0);
    final Parent parent = new Parent();
    final Constructor<Shadow> ctor = (obj, s) -> {
        Inner in = new Inner();
        in.x = 7;
        in.y = 8;
        s.inner = in;
        ((Parent) obj).marked = 1;
        return 0;
    };

    @Actor
    public void reader(III_Result r) {
        Shadow s = table.get(parent, Fixtures.ID);
        if (s != null) {
            Inner in = s.inner;
            r.r1 = 1;
            r.r2 = in != null && in.x == 7 && in.y == 8 ? 1 : 2;
            r.r3 = parent.marked;
        }
    }

    @Actor
    public void writer() {
        table.getOrAlloc(parent, Fixtures.ID, Shadow::new, ctor);
    }
}
