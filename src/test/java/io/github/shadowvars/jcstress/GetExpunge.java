package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import io.github.shadowvars.ShadowVariables;
import io.github.shadowvars.TestTables;

/**
 * Weak keys (issue 26): get ‖ expunge. A weak table of one bucket holds {@code <dead, ID>} in front
 * of {@code <live, ID>}; dead's collection is simulated before the race (TestTables.collect: its
 * weak key cleared and enqueued; no operation names dead afterwards, the spec's Die(o)). The
 * reader gets live's variable, walking past the stale entry, and pauses on each entry it visits;
 * the other actor expunges, then calls {@code barrier()} so that the expunged entry is reclaimed
 * (poisoned) inside the race, as early as the grace period allows. The reader sees live's data,
 * never null, poison or dead's data: racing an expunge is racing a free of another key (the
 * unlinked entry keeps its next link, the grace period waits for the reader). On the GC flavour
 * nothing is poisoned: r1 = 2 cannot occur.
 *
 * <p>Spec scenario (model-check/race/GetExpunge.cfg, spec/MCRaceWeak.tla, ScriptGetExpunge): the
 * setup p3 allocates {@code <o2,i1>}, {@code <o1,i1>} (chain o1 -> o2; dead = o1, live = o2), then
 * o1 dies and its key is enqueued (DieBy = ReportBy = p3); p1: get(o2,i1); p2: expunge. The accept
 * set is the final outcomes TLC reaches there (src/test/resources/jcstress-outcomes/GetExpunge.txt):
 * get returns live's data in every interleaving with the expunge (the abstract map holds
 * {@code <live, ID>} throughout); the expunge unlinks the one stale entry, whichever order;
 * afterwards the table holds one variable. No weak seeded bug shows here (EXPUNGE_DROPS_LIVE takes
 * the bucket's first entry, here the stale one): see GetCollectExpunge, FreeAllExpunge.
 *
 * <p>Result: r1 = reader (0 null, 1 live's data, 2 poisoned entry = use after reclaim, 3 other
 * data); r2 = expunge()'s count; r3 = variables left in the table (stats().live()).
 */
@JCStressTest
@Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the reader gets live's data; the stale entry expunged once")
@Outcome(expect = FORBIDDEN, desc = "use after reclaim, null or other data, the stale entry not expunged once, or live's removed")
@State
public class GetExpunge {
    final ShadowVariables table = Fixtures.weakTable(0, Fixtures::pause);
    final Object live = new Object();
    final Object liveData = new Object();

    public GetExpunge() {
        table.alloc(live, Fixtures.ID, () -> liveData, null);
        Object dead = new Object();
        table.alloc(dead, Fixtures.ID, Object::new, null);        // the bucket: dead -> live
        TestTables.collect(table, dead);                            // Die(dead): no operation names it after this
    }

    @Actor
    public void reader(III_Result r) {
        r.r1 = Fixtures.read(table, live, liveData);
    }

    @Actor
    public void expunger(III_Result r) {
        r.r2 = table.expunge();
        table.barrier(); // reclaim now, once the grace period allows (GC flavour: nothing to wait for)
    }

    @Arbiter
    public void arbiter(III_Result r) {
        r.r3 = (int) table.stats().live();
    }
}
