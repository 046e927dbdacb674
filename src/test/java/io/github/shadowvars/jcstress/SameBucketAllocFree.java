package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import io.github.shadowvars.ShadowVariables;

/**
 * Race 8: different keys in one bucket (bucketBits 0). The bucket starts as B -&gt; A (B newer).
 * Actor 1 reads A (its walk passes B) and then allocates C; actor 2 frees B and then reads A
 * (its walk may pass the new C). Readers pause on B (read-visit hook), so that free(B) often
 * happens while a reader stands on it. A is live throughout, so both reads find it; at the end the
 * bucket holds exactly A and C, and B's dtor ran once.
 *
 * <p>Spec scenario: initial table {&lt;o1, i1&gt;, &lt;o2, i1&gt;} in one bucket (HashOneBucket);
 * Script = p1: &lt;&lt;Get(o1, i1), Alloc(o3, i1)&gt;&gt;, p2: &lt;&lt;Free(o2, i1), Get(o1, i1)&gt;&gt;
 * (model-check/race/SameBucketAllocFree.cfg).
 * Catches UNLINK_CLEARS_NEXT (a reader standing on B loses A) and FREE_OUTSIDE_LOCK (the unlocked
 * unlink and the insertion overwrite each other's head: C lost or B resurrected).
 *
 * <p>Result: r1 = actor 1 found A (1) or not (0); r2 = its alloc of C returned data (1);
 * r3 = actor 2 found A; r4 = the keys in the table at the end (A = 1, B = 2, C = 4, summed);
 * r5 = B's dtor calls.
 */
@JCStressTest
@Outcome(id = "1, 1, 1, 5, 1", expect = ACCEPTABLE, desc = "A always found; A and C remain, B destroyed once")
@Outcome(expect = FORBIDDEN, desc = "a live entry missed, or the bucket lost C / kept B")
@State
public class SameBucketAllocFree {
    final Object a = new Object();
    final Object b = new Object();
    final Object c = new Object();
    /** A reader pauses where it stands on an entry (first B, the head), so that free(B) often happens right then. */
    final ShadowVariables table = Fixtures.table(0, Fixtures::pause);
    final AtomicInteger dtorCalls = new AtomicInteger();

    public SameBucketAllocFree() {
        table.alloc(a, Fixtures.ID, Object::new, null);
        table.alloc(b, Fixtures.ID, Object::new, null); // B is the head, A behind it
    }

    @Actor
    public void readerThenAllocator(IIIII_Result r) {
        r.r1 = table.get(a, Fixtures.ID) != null ? 1 : 0;
        r.r2 = table.alloc(c, Fixtures.ID, Object::new, null) != null ? 1 : 0;
    }

    @Actor
    public void freerThenReader(IIIII_Result r) {
        table.free(b, Fixtures.ID, Fixtures.countingDtor(dtorCalls));
        r.r3 = table.get(a, Fixtures.ID) != null ? 1 : 0;
    }

    @Arbiter
    public void arbiter(IIIII_Result r) {
        r.r4 = (table.get(a, Fixtures.ID) != null ? 1 : 0)
                + (table.get(b, Fixtures.ID) != null ? 2 : 0)
                + (table.get(c, Fixtures.ID) != null ? 4 : 0);
        r.r5 = dtorCalls.get();
    }
}
