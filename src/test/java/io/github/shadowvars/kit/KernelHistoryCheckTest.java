package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The history checker of the VM check (KernelHistoryCheck, spec/trace/KernelHistory.tla) on
 * hand-written histories in the stress module's format: possible ones accepted, impossible ones
 * rejected with the operation no order explains. One TLC run for all of them (a few seconds); no
 * VM needed.
 */
class KernelHistoryCheckTest {

    /** Every history ends with the round writer's free_all of both ids (thread 9 here: any idle thread). */
    private static final String CLEANUP = """
            op 8 0 freeAll id=1 inj=0 ctors=0 ret=0 dtor=%s t0=900 t1=910
            op 8 1 freeAll id=2 inj=0 ctors=0 ret=0 dtor=%s t0=920 t1=930
            """;

    private static String round(String name, String ops, String left1, String left2) {
        return "round " + name + " threads 2 ops 2 cpus 4 seed 1\n" + ops + CLEANUP.formatted(left1, left2) + "end " + name + "\n";
    }

    /** name -> (history text, expected to be accepted) */
    private static final Map<String, Object[]> CASES = new TreeMap<>();

    static {
        // a getOrAlloc that builds #1, a get overlapping it that sees it, a free that destroys it
        CASES.put("01", new Object[] {round("01", """
                op 0 0 getOrAlloc obj=1 id=1 inj=0 ctors=1 ctor=1 ctorfail=0 ret=1 dtor=- t0=10 t1=20
                op 1 0 get obj=1 id=1 inj=0 ctors=0 ret=1 dtor=- t0=15 t1=30
                op 0 1 free obj=1 id=1 inj=0 ctors=0 ret=0 dtor=1 t0=40 t1=50
                """, "-", "-"), true});
        // the same get overlapping the insertion may also see nothing
        CASES.put("02", new Object[] {round("02", """
                op 0 0 getOrAlloc obj=1 id=1 inj=0 ctors=1 ctor=1 ctorfail=0 ret=1 dtor=- t0=10 t1=20
                op 1 0 get obj=1 id=1 inj=0 ctors=0 ret=0 dtor=- t0=15 t1=30
                """, "1", "-"), true});
        // IMPOSSIBLE: a get strictly after the alloc returned, no free, sees nothing
        CASES.put("03", new Object[] {round("03", """
                op 0 0 alloc obj=1 id=1 inj=0 ctors=1 ctor=1 ctorfail=0 ret=1 dtor=- t0=10 t1=20
                op 1 0 get obj=1 id=1 inj=0 ctors=0 ret=0 dtor=- t0=30 t1=40
                """, "1", "-"), false});
        // two racing getOrAllocs: one builds, the other returns the winner's data
        CASES.put("04", new Object[] {round("04", """
                op 0 0 getOrAlloc obj=2 id=2 inj=0 ctors=1 ctor=7 ctorfail=0 ret=7 dtor=- t0=10 t1=40
                op 1 0 getOrAlloc obj=2 id=2 inj=0 ctors=0 ret=7 dtor=- t0=12 t1=42
                """, "-", "7"), true});
        // IMPOSSIBLE: both racing getOrAllocs build and return their own data under one key
        CASES.put("05", new Object[] {round("05", """
                op 0 0 getOrAlloc obj=2 id=2 inj=0 ctors=1 ctor=7 ctorfail=0 ret=7 dtor=- t0=10 t1=40
                op 1 0 getOrAlloc obj=2 id=2 inj=0 ctors=1 ctor=8 ctorfail=0 ret=8 dtor=- t0=12 t1=42
                """, "-", "7,8"), false});
        // an alloc returning NULL on an absent key: only with an injected allocation failure
        CASES.put("06", new Object[] {round("06", """
                op 0 0 alloc obj=3 id=1 inj=1 ctors=0 ret=0 dtor=- t0=10 t1=20
                """, "-", "-"), true});
        CASES.put("07", new Object[] {round("07", """
                op 0 0 alloc obj=3 id=1 inj=0 ctors=0 ret=0 dtor=- t0=10 t1=20
                """, "-", "-"), false});
        // IMPOSSIBLE: a free whose destructor saw data that was never there
        CASES.put("08", new Object[] {round("08", """
                op 0 0 free obj=1 id=2 inj=0 ctors=0 ret=0 dtor=5 t0=10 t1=20
                """, "-", "-"), false});
        // a constructor told to fail: NULL, and nothing left behind
        CASES.put("09", new Object[] {round("09", """
                op 1 0 getOrAlloc obj=1 id=1 inj=0 ctors=1 ctor=3 ctorfail=1 ret=0 dtor=- t0=10 t1=20
                """, "-", "-"), true});
        // IMPOSSIBLE: the final free_all misses data that is still there (its destructor not called)
        CASES.put("10", new Object[] {round("10", """
                op 0 0 alloc obj=1 id=1 inj=0 ctors=1 ctor=4 ctorfail=0 ret=4 dtor=- t0=10 t1=20
                """, "-", "-"), false});
    }

    static {
        // a free_all whose interval contains two inserts of its id that it does not remove: they
        // happen after its unlock, before its return is recorded (seen in a VM run, round 593)
        CASES.put("12", new Object[] {round("12", """
                op 2 0 freeAll id=2 inj=0 ctors=0 ret=0 dtor=- t0=10 t1=100
                op 0 0 getOrAlloc obj=3 id=2 inj=0 ctors=1 ctor=5 ctorfail=0 ret=5 dtor=- t0=20 t1=30
                op 1 0 getOrAlloc obj=2 id=2 inj=0 ctors=1 ctor=6 ctorfail=0 ret=6 dtor=- t0=25 t1=40
                """, "-", "5,6"), true});
        // IMPOSSIBLE: the same, but the data was there for the whole free_all interval
        CASES.put("13", new Object[] {round("13", """
                op 0 0 getOrAlloc obj=3 id=2 inj=0 ctors=1 ctor=5 ctorfail=0 ret=5 dtor=- t0=1 t1=5
                op 2 0 freeAll id=2 inj=0 ctors=0 ret=0 dtor=- t0=10 t1=100
                """, "-", "5"), false});
    }

    @Test
    void possibleHistoriesAcceptedImpossibleOnesRejected() throws Exception {
        StringBuilder text = new StringBuilder();
        CASES.values().forEach(c -> text.append(c[0]));
        List<KernelHistoryCheck.History> hs = KernelHistoryCheck.read(List.of(text.toString().split("\n")));
        assertEquals(CASES.size(), hs.size());
        List<KernelHistoryCheck.History> inOrder = new ArrayList<>(hs);
        KernelHistoryCheck.Totals t = KernelHistoryCheck.check(Path.of("").toAbsolutePath(), inOrder,
                Path.of("target", "kernel-history-check-test").toAbsolutePath(), 100);
        System.out.printf("KernelHistoryCheckTest: %d histories, %d accepted, %d rejected, %d overlapping, %.1f s%n",
                t.histories(), t.accepted(), t.rejected(), t.overlapping(), t.seconds());
        for (KernelHistoryCheck.Verdict v : t.rejectedOnes()) {
            System.out.println("  rejected " + v.history().name() + ": " + v.reason());
        }
        for (KernelHistoryCheck.History h : hs) {
            String n = h.name().substring("round ".length());
            boolean expected = (Boolean) CASES.get(n)[1];
            boolean rejected = t.rejectedOnes().stream().anyMatch(v -> v.history().name().equals(h.name()));
            assertEquals(expected, !rejected, h.name() + (expected ? " should be accepted" : " should be rejected"));
        }
        String why03 = t.rejectedOnes().stream().filter(v -> v.history().name().equals("round 03")).findFirst()
                .orElseThrow().reason();
        assertTrue(why03.contains("return of thread 1 call 1: get(obj=1, id=1) = NULL"), why03);
        String why05 = t.rejectedOnes().stream().filter(v -> v.history().name().equals("round 05")).findFirst()
                .orElseThrow().reason();
        assertTrue(why05.contains("getOrAlloc(obj=2, id=2)"), why05);
    }

    @Test
    void overlapAndMalformedHistories() {
        List<KernelHistoryCheck.History> hs = KernelHistoryCheck.read(List.of(((String) CASES.get("01")[0]).split("\n")));
        assertTrue(KernelHistoryCheck.overlapping(hs.get(0)));
        assertNull(KernelHistoryCheck.malformed(hs.get(0)));
        List<KernelHistoryCheck.History> seq = KernelHistoryCheck.read(List.of(((String) CASES.get("03")[0]).split("\n")));
        assertFalse(KernelHistoryCheck.overlapping(seq.get(0)));
        List<KernelHistoryCheck.History> twice = KernelHistoryCheck.read(List.of(round("11", """
                op 0 0 free obj=1 id=1 inj=0 ctors=0 ret=0 dtor=3 t0=10 t1=20
                op 1 0 free obj=2 id=1 inj=0 ctors=0 ret=0 dtor=3 t0=30 t1=40
                """, "-", "-").split("\n")));
        assertTrue(KernelHistoryCheck.malformed(twice.get(0)).contains("a destructor ran twice on data #3"));
    }
}
