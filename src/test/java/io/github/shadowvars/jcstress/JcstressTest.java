package io.github.shadowvars.jcstress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.shadowvars.Flavour;

/**
 * Runs every jcstress harness of this package against the real implementation and fails on any
 * FORBIDDEN outcome, error or missing harness. Prints, per harness, the samples and the outcomes
 * seen.
 *
 * <p>Two runs, one per {@link Flavour}, to the same accept sets: CHECKED runs all 18 harnesses;
 * GC runs the table harnesses with {@code -Dshadowvars.flavour=GC} in jcstress's forked JVMs
 * ({@link Fixtures}): all 14 in the main job, {@link #GC_TEST_HARNESSES} in the test command
 * (each harness costs two forked JVMs, about 2.5-4 s). RcuGracePeriod, RcuEntryFence and RcuCallback test the
 * {@code Rcu} class itself, which a GC table does not use, and TableLockMutex the table's lock
 * alone (the same class in both flavours): they run once. On GC, an outcome that
 * records a poisoned read (GetFree's r1 = 2) cannot occur: that FORBIDDEN outcome is not counted
 * for it.
 *
 * <p>System property {@code shadowvars.mode}: {@code test} (default; the README's test command:
 * one fork per harness and JVM configuration, no stress forks, 300 ms per fork) or {@code main}
 * (the main job: the checked flavour with split compilation, 500 ms per run, but for the weak
 * table's harnesses ({@link #WEAK_HARNESSES}), which run without it, 1 s per run, as the GC
 * flavour does; prints the HTML report's location). jcstress's defaults (split
 * compilation with five stress forks, about 3.5 s per run) made the main job's three jcstress
 * runs about 45 minutes on this 2-core machine, beyond its budget: they are kept for the one
 * seeded bug that needs them ({@link #MAIN_FULL}).
 */
class JcstressTest {

    /** Every harness, in the order of the list of racing pairs. */
    static final List<Class<?>> HARNESSES = List.of(
            AllocAlloc.class, GetOrAllocGetOrAlloc.class, GetAlloc.class, GetFree.class,
            AllocFree.class, GetOrAllocFree.class, FreeFree.class, FreeFreeAll.class, FreeAllAlloc.class,
            SameBucketAllocFree.class, RcuGracePeriod.class, RcuCallback.class, CtorPublication.class,
            RcuEntryFence.class, TableLockMutex.class, GetExpunge.class, GetCollectExpunge.class, FreeAllExpunge.class);

    /** The harnesses that build tables (all but the three of the RCU domain alone and the lock's): run on both flavours. */
    static final List<Class<?>> TABLE_HARNESSES = HARNESSES.stream()
            .filter(c -> c != RcuGracePeriod.class && c != RcuCallback.class && c != RcuEntryFence.class
                    && c != TableLockMutex.class).toList();

    /**
     * The GC run in the test command: the harnesses where a lockless read (a get, or the pre-check
     * of alloc/getOrAlloc) races a writer's publication or unlink, the path the GC flavour changes
     * (no read-side section, no fence), and GetExpunge and GetCollectExpunge (weak keys: a get
     * racing an expunge's unlink). Not in it: GetOrAllocGetOrAlloc, AllocFree, FreeAllAlloc
     * (the same races, other operations), FreeFree, FreeFreeAll and FreeAllExpunge (writers only:
     * on GC only kfree_rcu differs, a counter).
     */
    static final List<Class<?>> GC_TEST_HARNESSES = List.of(
            AllocAlloc.class, GetAlloc.class, GetFree.class, GetOrAllocFree.class, SameBucketAllocFree.class,
            CtorPublication.class, GetExpunge.class, GetCollectExpunge.class);

    /**
     * The weak table's harnesses (issue 26: a get, or freeAll, racing an expunge). In the main job
     * they run in {@link #MAIN_LIGHT} settings in both flavours: the checked flavour's split
     * compilation made them cost about 5.5 minutes there, beyond the weak variant's 3 of the main job.
     */
    static final List<Class<?>> WEAK_HARNESSES = List.of(GetExpunge.class, GetCollectExpunge.class, FreeAllExpunge.class);

    /** True when the main job runs (system property shadowvars.mode = main). */
    static boolean mainMode() {
        return "main".equals(System.getProperty("shadowvars.mode", "test"));
    }

    /** The seeded bugs' jcstress options (everything but -t, -jvmArgs, -r): {@link #MAIN_LIGHT} in main mode, else {@link #TEST}. */
    static List<String> modeOptions() {
        return mainMode() ? MAIN_LIGHT : TEST;
    }

    /** The test command: one fork per JVM configuration, no stress fork, no split compilation, 300 ms. */
    static final List<String> TEST = List.of("-c", "2", "-f", "1", "-fsm", "0", "-sc", "false", "-iters", "1", "-time", "300");

    /**
     * Main job, checked flavour: split compilation (each actor interpreted, C1 or C2), one fork
     * per mode and JVM configuration, no stress fork, 500 ms each.
     */
    static final List<String> MAIN_CHECKED = List.of("-c", "2", "-f", "1", "-fsm", "0", "-iters", "1", "-time", "500");

    /**
     * Main job, GC flavour and seeded bugs: no split compilation, 1 s each. jcstress's stress forks
     * belong to the split-compilation modes: it runs 2 (one per JVM configuration) per harness.
     */
    static final List<String> MAIN_LIGHT = List.of("-c", "2", "-f", "1", "-fsm", "1", "-sc", "false", "-iters", "1", "-time", "1000");

    /**
     * Main job, the entry-fence seeded bug: jcstress's defaults (split compilation, five stress
     * forks), the settings it was measured with (43 forbidden in 8.0 M samples, 95 s).
     */
    static final List<String> MAIN_FULL = List.of("-c", "2", "-f", "1", "-iters", "1", "-time", "1000");

    /** A -t selector matching exactly the given harnesses. */
    static String selector(List<Class<?>> harnesses) {
        return harnesses.stream().map(Class::getName).map(n -> n.replace(".", "\\."))
                .collect(Collectors.joining("|", "^(", ")$"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void everyHarnessSeesOnlyAcceptableOutcomes(Flavour flavour) throws Exception {
        long start = System.nanoTime();
        boolean gc = flavour == Flavour.GC;
        List<Class<?>> harnesses = !gc ? HARNESSES : mainMode() ? TABLE_HARNESSES : GC_TEST_HARNESSES;
        String name = "all-" + (mainMode() ? "main" : "test") + (gc ? "-gc" : "");
        String jvmArgs = gc ? "-D" + Flavour.PROPERTY + "=GC" : "";
        JcstressRun.Result result;
        if (mainMode() && !gc) { // split compilation for all but the weak harnesses, which run in MAIN_LIGHT
            List<Class<?>> split = harnesses.stream().filter(c -> !WEAK_HARNESSES.contains(c)).toList();
            result = JcstressRun.run(name, selector(split), "NONE", MAIN_CHECKED, jvmArgs)
                    .and(JcstressRun.run(name + "-weak", selector(WEAK_HARNESSES), "NONE", MAIN_LIGHT, jvmArgs));
        } else {
            result = JcstressRun.run(name, selector(harnesses), "NONE", !mainMode() ? TEST : MAIN_LIGHT, jvmArgs);
        }
        System.out.println(result.summary());
        double seconds = (System.nanoTime() - start) / 1e9;
        long samples = result.harnesses().values().stream().mapToLong(JcstressRun.Harness::samples).sum();
        System.out.printf("jcstress (%s flavour): %d harnesses, %,d samples, %.0f s, exit code %d, log %s%n", flavour,
                result.harnesses().size(), samples, seconds, result.exitCode(), result.log());
        io.github.shadowvars.CheckSummary.figures(getClass(), String.format("%s: %d harnesses, %,d samples, %.0f s, exit code %d%s",
                flavour, result.harnesses().size(), samples, seconds, result.exitCode(), flavour.notCounted()));
        if (mainMode()) {
            System.out.println("jcstress HTML report: " + result.report());
        }
        List<String> problems = new ArrayList<>();
        for (Class<?> c : harnesses) {
            JcstressRun.Harness h = result.harnesses().get(c.getName());
            if (h == null) {
                problems.add(c.getSimpleName() + ": no result (see " + result.log() + ")");
            } else if (!h.status().equals("OK") || !h.forbiddenSeen().isEmpty() || h.samples() == 0) {
                problems.add(c.getSimpleName() + ": " + h.status() + ", forbidden seen " + h.forbiddenSeen()
                        + ", samples " + h.samples());
            }
        }
        assertTrue(problems.isEmpty(), flavour + ": jcstress found problems:\n" + String.join("\n", problems));
        assertEquals(0, result.exitCode(), flavour + ": jcstress exit code (log " + result.log() + ")");
    }
}
