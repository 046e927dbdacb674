package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link FaultInjection} on its own, then a single-threaded random walk over a small key space with
 * faults on, checked after every step against a model: an operation that suffered an injected
 * fault leaves the table exactly as it was.
 */
@Timeout(60) // hang guard only; no test depends on timing
class FaultInjectionTest {

    /**
     * The seed for a random test: the system property {@code name} if set, else a fresh one.
     * Printed either way, with the option that repeats the run.
     */
    static long seed(String name, String test) {
        String given = System.getProperty(name);
        long seed = given != null ? Long.parseLong(given) : new SplittableRandom().nextLong();
        System.out.println(test + ": seed " + seed + " (repeat with -D" + name + "=" + seed + ")");
        return seed;
    }

    @Test
    void ratesOutsideZeroToOneAreRefused() {
        double[][] bad = {{-0.1, 0, 0}, {1.5, 0, 0}, {Double.NaN, 0, 0}, {0, -1, 0}, {0, 0, 2},
                {0, Double.NaN, 0}, {0, 0.6, 0.5}};
        for (double[] r : bad) {
            assertThrows(IllegalArgumentException.class, () -> new FaultInjection(1, r[0], r[1], r[2]),
                    java.util.Arrays.toString(r));
        }
        assertNotNull(new FaultInjection(1, 1, 0.5, 0.5));
    }

    @Test
    void rateZeroNeverFailsRateOneAlwaysFailsAndBothAreCounted() {
        FaultInjection never = new FaultInjection(7, 0, 0, 0);
        FaultInjection always = new FaultInjection(7, 1, 1, 0);
        Object obj = new Object();
        for (int i = 0; i < 1000; i++) {
            assertFalse(never.failNext(obj, i));
            assertTrue(always.failNext(obj, i));
            assertEquals(3, never.<Object>constructor((o, d) -> 3).construct(obj, new Object()));
            assertEquals(FaultInjection.INJECTED_ERROR,
                    always.<Object>constructor((o, d) -> 3).construct(obj, new Object()));
        }
        assertEquals(0, never.faultsInjected());
        assertEquals(1000, always.allocationFaultsInjected());
        assertEquals(1000, always.ctorErrorsInjected());
        assertEquals(0, always.ctorExceptionsInjected());
        assertEquals(2000, always.faultsInjected());
    }

    @Test
    void theSameSeedGivesTheSameDecisionsAndTheRateIsRespected() {
        long seed = seed("shadowvars.faults.seed", "theSameSeedGivesTheSameDecisions");
        FaultInjection a = new FaultInjection(seed, 0.25, 0, 0);
        FaultInjection b = new FaultInjection(seed, 0.25, 0, 0);
        FaultInjection other = new FaultInjection(seed + 1, 0.25, 0, 0);
        Object obj = new Object();
        int differ = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean fa = a.failNext(obj, i);
            assertEquals(fa, b.failNext(obj, i), "draw " + i);
            if (fa != other.failNext(obj, i)) {
                differ++;
            }
        }
        assertTrue(differ > 0, "another seed gives other decisions");
        // 10^4 draws at p = 0.25: mean 2500, standard deviation 43; 2000..3000 is more than 11 sigma.
        long failed = a.allocationFaultsInjected();
        assertTrue(failed > 2000 && failed < 3000, "failed " + failed);
        assertEquals(failed, b.allocationFaultsInjected());
        assertEquals(seed, a.seed());
    }

    @Test
    void wrappedConstructorInjectsErrorsAndExceptionsWithoutCallingTheRealOne() {
        FaultInjection errors = new FaultInjection(1, 0, 1, 0);
        FaultInjection throwing = new FaultInjection(1, 0, 0, 1);
        FaultInjection none = new FaultInjection(1, 0, 0, 0);
        AtomicInteger realCalls = new AtomicInteger();
        Constructor<Object> real = (o, d) -> {
            realCalls.incrementAndGet();
            return 0;
        };
        Object obj = new Object();
        assertEquals(FaultInjection.INJECTED_ERROR, errors.constructor(real).construct(obj, "d"));
        FaultInjection.InjectedFault f = assertThrows(FaultInjection.InjectedFault.class,
                () -> throwing.constructor(real).construct(obj, "d"));
        assertTrue(f.getMessage().contains("seed 1"), f.getMessage());
        assertEquals(0, realCalls.get());
        assertEquals(0, none.constructor(real).construct(obj, "d"));
        assertEquals(1, realCalls.get());
        assertEquals(0, none.constructor(null).construct(obj, "d"), "a null real ctor succeeds");
        assertEquals(1, errors.ctorErrorsInjected());
        assertEquals(1, throwing.ctorExceptionsInjected());
        assertEquals(0, none.faultsInjected());
    }

    /** The data: remembers which key it was allocated for. */
    record Data(int key, long id) { }

    static final long[] IDS = {0, -1, Long.MAX_VALUE};
    static final int OBJS = 12;

    /** get() over the whole key space: index = objIndex * IDS.length + idIndex. */
    static Object[] snapshot(ShadowVariables t, Object[] objs) {
        Object[] s = new Object[objs.length * IDS.length];
        for (int o = 0; o < objs.length; o++) {
            for (int i = 0; i < IDS.length; i++) {
                s[o * IDS.length + i] = t.get(objs[o], IDS[i]);
            }
        }
        return s;
    }

    static void assertSameSnapshot(Object[] expected, Object[] actual, String step) {
        for (int k = 0; k < expected.length; k++) {
            assertSame(expected[k], actual[k], step + ": key " + k);
        }
    }

    /**
     * Random alloc/getOrAlloc/free/freeAll/get with allocation failures and failing constructors.
     * After every step: get() over the key space equals the model; after a step that suffered an
     * injected fault, the model did not change (nothing published) and the counters changed only
     * by the speculative allocation that was dropped (ctor faults) or not at all (allocation faults).
     * On both {@link Flavour}s; on GC "reclaimed = unlinked" and "no poisoned read" cannot fail
     * (reclaimed is reported equal to unlinked, nothing is poisoned): not counted for it.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void everyFailedOperationLeavesTheTableExactlyAsBefore(Flavour flavour) {
        long seed = seed("shadowvars.faults.seed", "everyFailedOperationLeavesTheTableExactlyAsBefore");
        SplittableRandom ops = new SplittableRandom(seed);
        FaultInjection faults = new FaultInjection(ops.nextLong(), 0.2, 0.15, 0.15);
        RecordingLogger log = new RecordingLogger();
        LockWatch locks = new LockWatch();
        // A checked table's reclaimer must not run in the background: the counters are compared
        // exactly before and after each faulted step (its callbacks run in writers' calls and the final barrier).
        Rcu rcu = flavour == Flavour.CHECKED ? ManualExecutor.rcu(new ManualExecutor()) : null;
        ShadowVariables t = new TracedShadowVariables(2, rcu, faults, log, locks); // 4 buckets: long chains
        Object[] objs = new Object[OBJS];
        for (int o = 0; o < OBJS; o++) {
            objs[o] = new Object();
        }
        Object[] model = new Object[OBJS * IDS.length];
        AtomicInteger realCtorCalls = new AtomicInteger();
        AtomicInteger dtorCalls = new AtomicInteger();
        Constructor<Data> ctor = faults.constructor((o, d) -> {
            realCtorCalls.incrementAndGet();
            return 0;
        });
        Destructor<Data> dtor = (o, d) -> dtorCalls.incrementAndGet();
        int steps = 20_000;
        int faulted = 0;
        for (int step = 0; step < steps; step++) {
            int o = ops.nextInt(OBJS);
            int i = ops.nextInt(IDS.length);
            int k = o * IDS.length + i;
            Object obj = objs[o];
            long id = IDS[i];
            Stats before = t.stats();
            long allocFaults = faults.allocationFaultsInjected();
            long ctorFaults = faults.ctorErrorsInjected() + faults.ctorExceptionsInjected();
            int r = ops.nextInt(100); // weights: alloc 30, getOrAlloc 30, free 15, freeAll 3, get 22
            int op = r < 30 ? 0 : r < 60 ? 1 : r < 75 ? 2 : r < 78 ? 3 : 4;
            String what = List.of("alloc", "getOrAlloc", "free", "freeAll", "get").get(op) + " <" + o + ", " + id + ">";
            Object result = null;
            boolean threw = false;
            switch (op) {
                case 0, 1 -> {
                    try {
                        result = op == 0
                                ? t.alloc(obj, id, () -> new Data(k, id), ctor)
                                : t.getOrAlloc(obj, id, () -> new Data(k, id), ctor);
                    } catch (FaultInjection.InjectedFault e) {
                        threw = true;
                    }
                }
                case 2 -> t.free(obj, id, dtor);
                case 3 -> t.freeAll(id, dtor);
                default -> assertSame(model[k], t.get(obj, id), what);
            }
            String where = "step " + step + " (" + what + ", seed " + seed + ")";
            boolean allocFault = faults.allocationFaultsInjected() != allocFaults;
            boolean ctorFault = faults.ctorErrorsInjected() + faults.ctorExceptionsInjected() != ctorFaults;
            Stats after = t.stats();
            if (allocFault || ctorFault) {
                faulted++;
                assertNull(model[k], where + ": a fault can only hit an absent key (else nothing is allocated)");
                assertNull(result, where);
                if (allocFault) {
                    assertFalse(threw, where);
                    assertEquals(before, after, where + ": allocation failure changes no counter");
                } else {
                    assertEquals(new Stats(before.allocated() + 1, before.published(),
                            before.dropped() + 1, before.unlinked(), before.reclaimed(), before.poisonedReads()),
                            after, where + ": the speculative entry was dropped, nothing published");
                }
            } else if (op == 0 || op == 1) {
                assertFalse(threw, where);
                if (model[k] == null) {
                    assertEquals(new Data(k, id), result, where);
                    model[k] = result;
                } else {
                    assertSame(op == 0 ? null : model[k], result, where);
                }
            } else if (op == 2) {
                model[k] = null;
            } else if (op == 3) {
                for (int x = i; x < model.length; x += IDS.length) {
                    model[x] = null;
                }
            }
            assertFalse(locks.isLocked(), where);
            assertSameSnapshot(model, snapshot(t, objs), where);
        }
        t.barrier();
        Stats s = t.stats();
        long live = java.util.Arrays.stream(model).filter(x -> x != null).count();
        System.out.println("everyFailedOperationLeavesTheTableExactlyAsBefore (" + flavour + "): " + steps + " steps, "
                + faulted + " faulted; " + faults + "; " + s);
        CheckSummary.figures(getClass(), flavour + ": " + steps + " steps, " + faulted + " faulted" + flavour.notCounted());
        assertTrue(faults.allocationFaultsInjected() > 0 && faults.ctorErrorsInjected() > 0
                && faults.ctorExceptionsInjected() > 0, "every kind of fault was exercised: " + faults);
        assertEquals(faulted, faults.faultsInjected(), "at most one fault per step");
        assertEquals(faults.ctorErrorsInjected() + faults.ctorExceptionsInjected(), s.dropped(),
                "one thread: every dropped entry is a failed ctor (no lost race)");
        assertEquals(s.published() + s.dropped(), s.allocated());
        assertEquals(s.published(), realCtorCalls.get(), "the real ctor ran exactly for the published variables");
        assertEquals(s.unlinked(), dtorCalls.get());
        assertEquals(s.unlinked(), s.reclaimed()); // cannot fail on GC, nor the poisoned reads below
        assertEquals(live, s.live());
        assertEquals(0, s.poisonedReads());
        assertEquals(faults.ctorErrorsInjected(), log.at(Level.ERROR).size(), "one ERROR per ctor error code");
    }
}
