package io.github.shadowvars.jcstress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Runs every jcstress harness of this package against the real implementation and fails on any
 * FORBIDDEN outcome, error or missing harness. Prints, per harness, the samples and the outcomes
 * seen.
 *
 * <p>System property {@code shadowvars.mode}: {@code test} (default; the README's test command:
 * one fork per harness and JVM configuration, no stress forks, 300 ms per fork) or {@code main}
 * (the main job: the jcstress default fork counts including the five C2-randomizing stress forks,
 * one 1 s iteration per fork; prints the HTML report's location).
 */
class JcstressTest {

    /** Every harness, in the order of the list of racing pairs. */
    static final List<Class<?>> HARNESSES = List.of(
            AllocAlloc.class, GetOrAllocGetOrAlloc.class, GetAlloc.class, GetFree.class,
            AllocFree.class, GetOrAllocFree.class, FreeFree.class, FreeFreeAll.class, FreeAllAlloc.class,
            SameBucketAllocFree.class, RcuGracePeriod.class, RcuCallback.class, CtorPublication.class,
            RcuEntryFence.class);

    /** True when the main job runs (system property shadowvars.mode = main). */
    static boolean mainMode() {
        return "main".equals(System.getProperty("shadowvars.mode", "test"));
    }

    /** jcstress options for the current mode (everything but -t, -jvmArgs, -r). */
    static List<String> modeOptions() {
        return mainMode()
                ? List.of("-c", "2", "-f", "1", "-iters", "1", "-time", "1000")
                : List.of("-c", "2", "-f", "1", "-fsm", "0", "-sc", "false", "-iters", "1", "-time", "300");
    }

    /** A -t selector matching exactly the given harnesses. */
    static String selector(List<Class<?>> harnesses) {
        return harnesses.stream().map(Class::getName).map(n -> n.replace(".", "\\."))
                .collect(Collectors.joining("|", "^(", ")$"));
    }

    @Test
    void everyHarnessSeesOnlyAcceptableOutcomes() throws Exception {
        long start = System.nanoTime();
        JcstressRun.Result result = JcstressRun.run("all-" + (mainMode() ? "main" : "test"),
                selector(HARNESSES), "NONE", modeOptions());
        System.out.println(result.summary());
        System.out.printf("jcstress: %d harnesses, %.0f s, exit code %d, log %s%n", result.harnesses().size(),
                (System.nanoTime() - start) / 1e9, result.exitCode(), result.log());
        io.github.shadowvars.CheckSummary.figures(getClass(), result.harnesses().size() + " harnesses, exit code " + result.exitCode());
        if (mainMode()) {
            System.out.println("jcstress HTML report: " + result.report());
        }
        List<String> problems = new ArrayList<>();
        for (Class<?> c : HARNESSES) {
            JcstressRun.Harness h = result.harnesses().get(c.getName());
            if (h == null) {
                problems.add(c.getSimpleName() + ": no result (see " + result.log() + ")");
            } else if (!h.status().equals("OK") || !h.forbiddenSeen().isEmpty() || h.samples() == 0) {
                problems.add(c.getSimpleName() + ": " + h.status() + ", forbidden seen " + h.forbiddenSeen()
                        + ", samples " + h.samples());
            }
        }
        assertTrue(problems.isEmpty(), "jcstress found problems:\n" + String.join("\n", problems));
        assertEquals(0, result.exitCode(), "jcstress exit code (log " + result.log() + ")");
    }
}
