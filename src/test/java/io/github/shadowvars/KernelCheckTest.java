package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernel's own kernel/livepatch/shadow.c against the spec (issue 13): runs
 * {@code kernel-check/run} (see kernel-check/README.md), which takes shadow.c, the selftest module
 * and test-shadow-vars.sh from Debian's linux-source package at check time, compiles shadow.c
 * unmodified against the shims and runs the kernel selftest, the conformance corpus, stress under
 * AddressSanitizer and ThreadSanitizer with accounting and race scenarios, and TLC trace
 * validation (through {@link io.github.shadowvars.kit.KernelTraceCheck} on this test class path).
 *
 * <p>Test mode ({@code -Dshadowvars.mode=test}, the README test command): {@code --quick} on
 * linux-source-6.12. Main mode: {@code --full} on 6.12, then {@code --seeded-only} (every seeded C
 * bug must be caught by a behavioural check; test-command sizes, which catch every one), and
 * {@code --quick} on linux-source-6.1 (every check, test-command sizes: its shadow.c is today
 * byte-identical to 6.12's, and the report says so when that changes). When gcc, liburcu-dev or the
 * package cannot be had the script prints one {@code SKIPPED:} line: the test is then skipped
 * (a JUnit assumption), never passed silently. The seed is printed (repeat with
 * {@code -Dshadowvars.kernel.seed=N}). Main mode also runs the VM check ({@link #vm()}).
 */
@Timeout(value = 3, unit = TimeUnit.HOURS) // hang guard only
class KernelCheckTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    private static boolean mainMode() {
        return System.getProperty("shadowvars.mode", "test").equals("main");
    }

    @Test
    void kernel612() throws Exception {
        if (mainMode()) {
            check("--full");
            check("--seeded-only");
        } else {
            check("--quick");
        }
    }

    @Test
    void kernel61() throws Exception {
        Assumptions.assumeTrue(mainMode(), "linux-source-6.1 is checked in the main job only (-Pmain)");
        check("--quick", "--kernel", "6.1");
    }

    /**
     * The VM check (issue 22), main job only: {@code kernel-check/run --vm --all}, the kernel's
     * shadow.c in a running debug kernel, both builds (KASAN with kmemleak; KCSAN), then every
     * seeded bug in the KASAN build and, in the KCSAN build, the one only a data-race detector can
     * see. GitHub's workflow runs it as a job of its own, in parallel with the main job, and sets
     * {@code SHADOWVARS_VM=separate-job} there so that the main job does not run it twice.
     */
    @Test
    void vm() throws Exception {
        Assumptions.assumeTrue(mainMode(), "the VM check runs in the main job only (-Pmain) and as ci/checks vm");
        Assumptions.assumeFalse("separate-job".equals(System.getenv("SHADOWVARS_VM")),
                "SHADOWVARS_VM=separate-job: the workflow's vm job runs the VM check");
        check("--vm", "--all");
    }

    /** Runs kernel-check/run with {@code args}; skips on SKIPPED, fails on a non-zero exit. */
    private void check(String... args) throws IOException, InterruptedException {
        long seed = FaultInjectionTest.seed("shadowvars.kernel.seed", "KernelCheckTest " + String.join(" ", args));
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("kernel-check/run").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--seed", Long.toString(seed & Long.MAX_VALUE)));
        Path log = Files.createDirectories(ROOT.resolve("target/kernel-check"))
                .resolve("run" + String.join("", args).replace("-", "_") + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the trace check runs the kit from this very class path (no second Maven run)
        pb.environment().put("KC_CLASSPATH", System.getProperty("java.class.path"));
        long start = System.nanoTime();
        Process p = pb.start();
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
        out.forEach(l -> System.out.println("kernel-check: " + l));
        System.out.printf("kernel-check %s: exit %d in %.0f s (log %s)%n", String.join(" ", args), exit, seconds, log);
        String skipped = out.stream().filter(l -> l.startsWith("SKIPPED:")).findFirst().orElse(null);
        if (skipped != null) {
            assertEquals(0, exit, "a SKIPPED run exits 0");
            // On CI (CI=true) ci/checks installed everything: a missing tool there is a failure.
            assertFalse("true".equals(System.getenv("CI")), "on CI the kernel check must run: " + skipped);
            Assumptions.abort(skipped);
        }
        String label = String.join(" ", args);
        // the userspace check's "kernel-check: linux-source-V ..." line, or the VM check's "package: linux-source-V ..., sha256 ..."
        String version = out.stream().filter(l -> l.startsWith("kernel-check: linux-source")).findFirst()
                .or(() -> out.stream().map(String::trim).filter(l -> l.startsWith("package: linux-source"))
                        .map(l -> l.replaceFirst("^package: ", "").replaceFirst(", sha256.*", "")).findFirst())
                .orElse("?");
        List<String> figures = new ArrayList<>();
        figures.add(label + ": " + version.replaceFirst("^kernel-check: ", "").replaceFirst(", mode.*", ""));
        boolean inSeeded = false; // the rows after a "Seeded bugs" header are seeded bugs' rows
        for (String l : out) {
            String t = l.trim();
            if (t.startsWith("Seeded bugs") || t.startsWith("kernel-check --vm --seeded:")) {
                inSeeded = true;
            }
            if (t.startsWith("Baseline (the unmodified shadow.c")) {
                figures.add(t.replaceAll(" \\(see [^)]*\\)", "").replaceAll("\\s+", " "));
            }
            for (String check : List.of("selftest", "corpus", "asan-stress", "scenarios", "tsan-stress", "traces")) {
                if (t.startsWith(check + " ")) {
                    figures.add(check + " " + t.substring(check.length()).trim().replaceAll("\\s+", " "));
                }
            }
            for (String vm : List.of("vcpus:", "selftest:", "kernel reports:", "leaks:", "histories: total=", "build:", "boot:")) {
                if (t.startsWith(vm)) {
                    figures.add("vm " + t.replaceAll(" \\(/[^)]*\\)$", "").replaceAll("; /[^)]*\\)", ")"));
                }
            }
            if (inSeeded && t.matches("^[a-z0-9-]+ +(\\S.* +)?(CAUGHT|MISSED|SHAPE|BUILD|NOT-APPLIED|NO-VERDICT|TOOL) .*")) {
                String[] w = t.split("\\s+");
                figures.add("seeded " + w[0] + ": " + (t.contains(" CAUGHT ") ? "caught" : t.contains(" TOOL ")
                        ? "the checker failed (TOOL)" : "NOT caught"));
            }
        }
        figures.add(String.format("%.0f s", seconds));
        figures.forEach(f -> CheckSummary.figures(getClass(), f));
        assertEquals(0, exit, "kernel-check/run " + label + " failed (exit " + exit + "); log " + log + "\n"
                + String.join("\n", out.subList(Math.max(0, out.size() - 60), out.size())));
        assertTrue(out.stream().anyMatch(l -> l.matches("^kernel-check( --vm( --all)?)?: PASS.*")), "no PASS line in " + log);
    }
}
