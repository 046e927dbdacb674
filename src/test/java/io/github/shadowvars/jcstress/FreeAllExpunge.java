package io.github.shadowvars.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.ref.Reference;
import java.util.List;
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
 * Weak keys: freeAll ‖ {enqueue; expunge}, a dead object's entry removed by whichever comes first.
 * A weak table of one bucket holds {@code <live, ID>} in front of {@code <dead, ID>}; dead's weak
 * key was cleared in the constructor and not enqueued (TestTables.clearOnly: the collector has
 * cleared it, the reference handler has not yet reported it). One actor frees all of ID; the other
 * enqueues dead's key (Reference.enqueue, the reference handler's report), then expunges. Dead's
 * entry is unlinked exactly once and never destroyed: by freeAll's own expunge (the key enqueued
 * before freeAll polled), by freeAll's walk meeting it (not yet enqueued: unlinked with no
 * destructor call) or by the expunge (it took the lock first: it returns 1). Live's entry is
 * destroyed exactly once, by freeAll.
 *
 * <p>Spec scenario (model-check/race/FreeAllExpunge.cfg, spec/MCRaceWeak.tla,
 * ScriptFreeAllExpunge): the setup p3 allocates {@code <o1,i1>}, {@code <o2,i1>} (chain o2 -> o1;
 * dead = o1, live = o2), then o1 dies (DieBy = p3); p1: freeAll(i1); p2: Report(o1)
 * (ReportBy = p2), then expunge. The accept set is the final outcomes TLC reaches there
 * (src/test/resources/jcstress-outcomes/FreeAllExpunge.txt; the spec's DtorOnLiveObject,
 * WDestructorOnce, NoLeak). Catches FREEALL_DTOR_ON_DEAD; EXPUNGE_OUTSIDE_LOCK when the unlocked
 * expunge overlaps freeAll's walk.
 *
 * <p>Result: r1 = destructor calls with (live, live's data) (9: freeAll threw); r2 = other
 * destructor calls (dead's entry: a null object); r3 = expunge()'s count (9: it threw);
 * r4 = variables left in the table (stats().live()).
 */
@JCStressTest
@Outcome(id = "1, 0, 0, 0", expect = ACCEPTABLE, desc = "freeAll first: it removes both, live's destroyed; the expunge finds nothing")
@Outcome(id = "1, 0, 1, 0", expect = ACCEPTABLE, desc = "the expunge first unlinks dead's entry; freeAll destroys live's")
@Outcome(expect = FORBIDDEN, desc = "a destructor call for dead's entry, live's not destroyed once, an entry left or unlinked twice, or an exception")
@State
public class FreeAllExpunge {
    final ShadowVariables table = Fixtures.weakTable(0, () -> { });
    final Object live = new Object();
    final Object liveData = new Object();
    final List<Reference<?>> deadKeys;

    public FreeAllExpunge() {
        Object dead = new Object();
        table.alloc(dead, Fixtures.ID, Object::new, null);
        table.alloc(live, Fixtures.ID, () -> liveData, null);      // the bucket: live -> dead
        deadKeys = TestTables.clearOnly(table, dead);                // Die(dead): cleared, not enqueued
    }

    @Actor
    public void freer(IIII_Result r) {
        int[] calls = new int[2];
        try {
            table.freeAll(Fixtures.ID, (o, d) -> calls[o == live && d == liveData ? 0 : 1]++);
            r.r1 = calls[0];
        } catch (RuntimeException | UseAfterReclaimError e) {
            r.r1 = 9;
        }
        r.r2 = calls[1];
    }

    @Actor
    public void expunger(IIII_Result r) {
        deadKeys.forEach(Reference::enqueue);                          // Report(dead)
        try {
            r.r3 = table.expunge();
        } catch (RuntimeException | UseAfterReclaimError e) {
            r.r3 = 9;
        }
    }

    @Arbiter
    public void arbiter(IIII_Result r) {
        r.r4 = (int) table.stats().live();
    }
}
