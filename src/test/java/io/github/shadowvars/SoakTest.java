package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bounded soak: several threads run random get/alloc/getOrAlloc/free/freeAll on one table, over a
 * small hot key space (contention, lost races) and a large cold one (long bucket chains), with
 * allocation failures and failing constructors injected; then {@code rcu().barrier()} and the
 * books must balance. Run on both {@link Flavour}s, each with the full operation count. On GC the
 * poison check, "no callback pending" and "reclaimed = unlinked" cannot fail (nothing is poisoned,
 * there is no domain, reclaimed is counted at the unlink): they are not counted for it (its
 * figures say so); the ctor/dtor/live/dropped accounting and the reads still mean the same.
 *
 * <p>Weak keys ({@link #soakWeakKeysWithDeaths}): the same on a weak table, where each thread also
 * runs 10% of its operations on objects of its own (no other thread names them) and now and then
 * kills one (the spec's Die(o): its collection simulated by TestTables.collect, never while an
 * operation names it; a new object takes its place); the books balance with the expunged
 * variables, which get no destructor call, and a final expunge() leaves no stale entry.
 *
 * <p>The size is an operation count, never a time. System properties:
 * {@code shadowvars.soak.threads} (default 2), {@code shadowvars.soak.ops} (total operations;
 * default 4,000,000 with {@code shadowvars.mode=test}, 50,000,000 with {@code shadowvars.mode=main}),
 * {@code shadowvars.soak.seed} (default: fresh, printed). Main job: {@code mvn -B verify -Pmain -Dtest=SoakTest}.
 * The seed fixes each thread's operation sequence and the fault decisions; with several threads
 * the interleaving (and so which call gets which fault) still varies from run to run.
 */
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES) // hang guard only (main mode runs long); nothing depends on timing
class SoakTest {

    static final int HOT_OBJS = 16;
    static final int COLD_OBJS = 1 << 16;
    static final long[] IDS = {0, 1, 2, Long.MIN_VALUE};
    /** Weak keys: each thread's own objects, which it alone names and kills. */
    static final int MORTAL_OBJS = 64;

    /** Shadow data that knows its key and checks its own life cycle. */
    static final class Data {
        final Object obj;
        final long id;
        /** Set by the constructor under the lock, before publication; a reader must see it true. */
        boolean constructed;
        final AtomicBoolean destroyed = new AtomicBoolean();

        Data(Object obj, long id) {
            this.obj = obj;
            this.id = id;
        }
    }

    /** Everything the threads count, beside the table's own stats. */
    static final class Books {
        final LongAdder ops = new LongAdder();
        final LongAdder ctorSuccesses = new LongAdder();
        final LongAdder dtorCalls = new LongAdder();
        final LongAdder injectedExceptionsCaught = new LongAdder();
        final AtomicLong live = new AtomicLong();
        final AtomicLong peakLive = new AtomicLong();
        /** Weak keys: simulated deaths, and the variables of the dead objects linked when they died. */
        final LongAdder deaths = new LongAdder();
        final LongAdder diedLinked = new LongAdder();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    }

    static long longProperty(String name, long dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void soakWithFaultInjection(Flavour flavour) throws Exception {
        soak(flavour, Keys.STRONG);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void soakWeakKeysWithDeaths(Flavour flavour) throws Exception {
        soak(flavour, Keys.WEAK);
    }

    void soak(Flavour flavour, Keys keys) throws Exception {
        boolean weak = keys == Keys.WEAK;
        boolean mainMode = "main".equals(System.getProperty("shadowvars.mode", "test"));
        int threads = (int) longProperty("shadowvars.soak.threads", 2);
        long totalOps = longProperty("shadowvars.soak.ops", mainMode ? 50_000_000 : 4_000_000);
        long seed = FaultInjectionTest.seed("shadowvars.soak.seed", "SoakTest");
        long opsPerThread = (totalOps + threads - 1) / threads;

        SplittableRandom master = new SplittableRandom(seed);
        FaultInjection faults = new FaultInjection(master.nextLong(), 0.05, 0.03, 0.02);
        System.Logger silent = new System.Logger() { // the soak causes thousands of expected ERROR/WARNING lines: drop them
            @Override
            public String getName() {
                return "soak";
            }

            @Override
            public boolean isLoggable(Level level) {
                return false;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            }
        };
        ShadowVariables table = new ShadowVariables(ShadowVariables.DEFAULT_BUCKET_BITS, flavour.newRcu(), faults, keys, silent);
        Object[] hot = newObjects(HOT_OBJS);
        Object[] cold = newObjects(COLD_OBJS);
        Books books = new Books();

        Constructor<Data> ctor = faults.constructor((o, d) -> {
            if (d.obj != o || d.constructed) {
                books.failures.add(new AssertionError("ctor got foreign or reused data"));
            }
            d.constructed = true;
            books.ctorSuccesses.increment();
            long now = books.live.incrementAndGet();
            books.peakLive.accumulateAndGet(now, Math::max);
            return 0;
        });
        Destructor<Data> dtor = (o, d) -> {
            if (d.obj != o || !d.constructed) {
                books.failures.add(new AssertionError("dtor got data of another key or unconstructed data"));
            }
            if (!d.destroyed.compareAndSet(false, true)) {
                books.failures.add(new AssertionError("dtor called twice for the same data"));
            }
            books.dtorCalls.increment();
            books.live.decrementAndGet();
        };

        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        List<Object[]> mortals = new ArrayList<>();                   // weak: each thread's own objects (read after join)
        for (int w = 0; w < threads; w++) {
            SplittableRandom random = master.split();
            Object[] mortal = weak ? newObjects(MORTAL_OBJS) : null;
            if (weak) {
                mortals.add(mortal);
            }
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (long n = 0; n < opsPerThread; n++) {
                        step(table, random, hot, cold, mortal, ctor, dtor, books);
                        books.ops.increment();
                    }
                } catch (Throwable e) {
                    books.failures.add(e);
                }
            }, "soak-" + w);
            workers.add(thread);
        }
        long t0 = System.nanoTime();
        for (Thread thread : workers) {
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        int finalExpunge = table.expunge();                         // weak: the stale entries no write has met
        table.barrier();
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;

        Stats s = table.stats();
        long reachable = 0;
        List<Object[]> all = new ArrayList<>(List.of(hot, cold));
        all.addAll(mortals);
        for (Object[] objs : all) {
            for (Object obj : objs) {
                for (long id : IDS) {
                    Data d = table.get(obj, id);
                    if (d != null) {
                        reachable++;
                        if (d.obj != obj || d.id != id || !d.constructed || d.destroyed.get()) {
                            books.failures.add(new AssertionError("live variable in a bad state at <" + id + ">"));
                        }
                    }
                }
            }
        }
        System.out.printf("SoakTest (mode %s, %s flavour): %d threads x %d = %d operations in %d ms (%.0f ops/s); seed %d%n"
                        + "  faults injected %d (allocation %d, ctor error code %d, ctor exception %d)%n"
                        + "  variables created %d, freed %d, dropped %d (failed ctor or lost race), reclaimed %d;"
                        + " peak live %d, live at the end %d; poisoned reads %d%n",
                mainMode ? "main" : "test", flavour, threads, opsPerThread, books.ops.sum(), elapsedMs,
                books.ops.sum() * 1000.0 / Math.max(1, elapsedMs), seed,
                faults.faultsInjected(), faults.allocationFaultsInjected(), faults.ctorErrorsInjected(),
                faults.ctorExceptionsInjected(), s.published(), s.unlinked(), s.dropped(), s.reclaimed(),
                books.peakLive.get(), s.live(), s.poisonedReads());
        if (weak) {
            System.out.printf("  weak keys: %d objects died with %d variables linked; %d expunged (%d by the final expunge())%n",
                    books.deaths.sum(), books.diedLinked.sum(), s.expunged(), finalExpunge);
        }
        CheckSummary.figures(getClass(), (weak ? "weak keys, " : "") + flavour + ": " + books.ops.sum() + " operations on " + threads + " threads, "
                + faults.faultsInjected() + " faults injected, "
                + (weak ? books.deaths.sum() + " deaths, " + s.expunged() + " variables expunged, " : "")
                + (flavour == Flavour.CHECKED ? s.poisonedReads() + " poisoned reads" : "nothing poisoned") + flavour.notCounted());

        if (!books.failures.isEmpty()) {
            AssertionError e = new AssertionError(books.failures.size() + " failures in the soak (seed " + seed + ")");
            books.failures.stream().limit(5).forEach(e::addSuppressed);
            throw e;
        }
        assertEquals((long) threads * opsPerThread, books.ops.sum());
        // The next three cannot fail on GC (nothing poisoned, no domain, reclaimed counted at the unlink).
        assertEquals(0, s.poisonedReads(), "poisoned reads");
        if (table.rcu() != null) {
            assertEquals(0, table.rcu().pendingCallbacks(), "barrier ran every callback");
        }
        assertEquals(s.unlinked(), s.reclaimed(), "every unlinked entry reclaimed after the barrier");
        assertEquals(s.allocated(), s.reclaimed() + s.dropped() + s.live(),
                "no leak: allocated = reclaimed + dropped + live");
        assertEquals(s.live(), reachable, "every live variable is reachable by get, nothing else is");
        assertEquals(s.live(), books.live.get() - s.expunged(), "ctor successes - dtor calls - expunged = live");
        assertEquals(s.unlinked() - s.expunged(), books.dtorCalls.sum(), "dtor count = unlinked count - expunged (a dtor is always given, never for a dead object's entry)");
        if (weak) {
            assertEquals(0, table.expunge(), "nothing left to expunge");
            assertTrue(books.deaths.sum() > 0 && s.expunged() > 0, "objects died and their variables were expunged");
            assertTrue(s.expunged() <= books.diedLinked.sum(), "only the dead objects' variables are expunged (a concurrent freeAll may destroy one first)");
        } else {
            assertEquals(0, s.expunged(), "a strong table expunges nothing");
        }
        assertEquals(s.published(), books.ctorSuccesses.sum(), "ctor success count = published count");
        assertEquals(faults.ctorExceptionsInjected(), books.injectedExceptionsCaught.sum());
        assertTrue(s.dropped() >= faults.ctorErrorsInjected() + faults.ctorExceptionsInjected(),
                "every failed ctor dropped its entry");
        assertTrue(faults.allocationFaultsInjected() > 0 && faults.ctorErrorsInjected() > 0
                && faults.ctorExceptionsInjected() > 0, "every kind of fault was exercised");
        assertTrue(s.published() > 0 && s.unlinked() > 0);
    }

    static Object[] newObjects(int n) {
        Object[] objs = new Object[n];
        for (int i = 0; i < n; i++) {
            objs[i] = new Object();
        }
        return objs;
    }

    /**
     * One random operation: 90% on the hot keys, 10% on the cold ones; get 40%, getOrAlloc 25%,
     * alloc 15%, free about 20%, freeAll 0.01% (it walks every bucket). Weak keys (mortal, the
     * calling thread's own objects, non-null): first, one step in 10 is on one of them, and one of
     * those in 50 kills it instead (Die(o): no operation in progress names it, as no other thread
     * names it; a new object takes its place).
     */
    static void step(ShadowVariables table, SplittableRandom random, Object[] hot, Object[] cold, Object[] mortal,
                     Constructor<Data> ctor, Destructor<Data> dtor, Books books) {
        Object own = null;
        if (mortal != null && random.nextInt(10) == 0) {
            int i = random.nextInt(mortal.length);
            if (random.nextInt(50) == 0) {
                books.diedLinked.add(TestTables.collect(table, mortal[i]));
                books.deaths.increment();
                mortal[i] = new Object();
                return;
            }
            own = mortal[i];
        }
        Object obj = own != null ? own : random.nextInt(10) < 9 ? hot[random.nextInt(hot.length)] : cold[random.nextInt(cold.length)];
        long id = IDS[random.nextInt(IDS.length)];
        int r = random.nextInt(10_000);
        if (r < 4_000) {
            check(table.get(obj, id), obj, id, books);
        } else if (r < 8_000) {
            boolean viaAlloc = r >= 6_500;
            try {
                Data d = viaAlloc
                        ? table.alloc(obj, id, () -> new Data(obj, id), ctor)
                        : table.getOrAlloc(obj, id, () -> new Data(obj, id), ctor);
                check(d, obj, id, books);
            } catch (FaultInjection.InjectedFault expected) {
                books.injectedExceptionsCaught.increment();
            }
        } else if (r < 9_999) {
            table.free(obj, id, dtor);
        } else {
            table.freeAll(id, dtor);
        }
    }

    /** A returned variable belongs to the key asked for and was constructed before it became visible. */
    static void check(Data d, Object obj, long id, Books books) {
        if (d == null) {
            return; // absent, duplicate alloc, allocation failure or ctor error code
        }
        assertSame(obj, d.obj, "data of another obj");
        assertEquals(id, d.id, "data of another id");
        assertTrue(d.constructed, "published before the ctor's writes were visible");
    }
}
