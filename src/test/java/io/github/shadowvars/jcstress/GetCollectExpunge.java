package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.TestTables;
import io.github.shadowvars.UseAfterReclaimError;

/**
 * Weak keys: get ‖ {collect; expunge}, the death inside the race. A weak table of one bucket holds
 * {@code <front, ID>}, {@code <dead, ID>}, {@code <live, ID>} in that order. The reader gets live's
 * variable, walking past front's entry and dead's, and pauses on each entry it visits; the other
 * actor simulates dead's collection (TestTables.collect: its weak key cleared, then enqueued), then
 * expunges and calls {@code barrier()} so that the expunged entry is reclaimed (poisoned) inside
 * the race, as early as the grace period allows. The reader sees live's data whether dead is alive,
 * cleared, unlinked or reclaimed when it passes; the expunge unlinks dead's entry and nothing else
 * (front's, the first in the bucket, stays: EXPUNGE_DROPS_LIVE unlinks it instead). On the GC
 * flavour nothing is poisoned: r1 = 2 cannot occur.
 *
 * <p>Spec scenario (model-check/race/GetCollectExpunge.cfg, spec/MCRaceWeak.tla,
 * ScriptGetCollectExpunge): the setup p3 allocates {@code <o2,i1>}, {@code <o1,i1>},
 * {@code <o3,i1>} (chain o3 -> o1 -> o2; front = o3, dead = o1, live = o2); p1: get(o2,i1);
 * p2: Die(o1) and Report(o1) (DieBy = ReportBy = p2), then expunge. The accept set is the final
 * outcomes TLC reaches there (src/test/resources/jcstress-outcomes/GetCollectExpunge.txt).
 * Catches EXPUNGE_DROPS_LIVE.
 *
 * <p>Result: r1 = reader (0 null, 1 live's data, 2 poisoned entry = use after reclaim, 3 other
 * data); r2 = expunge()'s count (9: it threw); r3 = keys the arbiter finds (front = 1, live = 2);
 * r4 = variables left in the table (stats().live(), a stale entry counted until unlinked).
 */
@JCStressTest
@Outcome(id = "1, 1, 3, 2", expect = ACCEPTABLE, desc = "the reader gets live's data; dead's entry expunged once, front's and live's kept")
@Outcome(expect = FORBIDDEN, desc = "use after reclaim, null or other data, a live entry removed, or dead's not expunged once")
@State
public class GetCollectExpunge {
    final ShadowVariables table = Fixtures.weakTable(0, Fixtures::pause);
    final Object front = new Object();
    final Object dead = new Object();
    final Object live = new Object();
    final Object frontData = new Object();
    final Object liveData = new Object();

    public GetCollectExpunge() {
        table.alloc(live, Fixtures.ID, () -> liveData, null);
        table.alloc(dead, Fixtures.ID, Object::new, null);
        table.alloc(front, Fixtures.ID, () -> frontData, null);    // the bucket: front -> dead -> live
    }

    @Actor
    public void reader(IIII_Result r) {
        r.r1 = Fixtures.read(table, live, liveData);
    }

    @Actor
    public void collector(IIII_Result r) {
        TestTables.collect(table, dead);      // Die(dead), Report(dead): no operation names it after this
        try {
            r.r2 = table.expunge();
        } catch (RuntimeException | UseAfterReclaimError e) {
            r.r2 = 9;
        }
        table.barrier(); // reclaim now, once the grace period allows (GC flavour: nothing to wait for)
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r3 = (table.get(front, Fixtures.ID) == frontData ? 1 : 0) + (table.get(live, Fixtures.ID) == liveData ? 2 : 0);
        r.r4 = (int) table.stats().live();
    }
}
