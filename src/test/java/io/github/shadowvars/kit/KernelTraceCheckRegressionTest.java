package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The trace checker's own regression set, model-check/trace-regression/: hand-made traces in the
 * trace format, each with the verdict {@link KernelTraceCheck} must give it ({@code # expect NAME
 * VERDICT TEXT} lines), and an empty file, which is an error. One TLC run for the whole set and one
 * for its RESULT candidates.
 */
class KernelTraceCheckRegressionTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path SET = ROOT.resolve("model-check/trace-regression");

    /** What a trace of the set must get: its verdict, and a text the verdict's detail contains. */
    private record Expected(KernelTraceCheck.Verdict verdict, String text) {
    }

    @Test
    void everyTraceGetsItsExpectedVerdict() throws Exception {
        KernelTraceCheck.Report report = checkAgainstExpected("regression.txt");
        // every verdict but TOOL (a checker failure) is in the set
        for (KernelTraceCheck.Verdict v : KernelTraceCheck.Verdict.values()) {
            assertTrue(v == KernelTraceCheck.Verdict.TOOL
                    || report.outcomes().stream().anyMatch(o -> o.verdict() == v), v + " is not in the regression set");
        }
    }

    /** The properties evaluated on the traces' states, seen failing against a seeded-bug variant of the spec. */
    @Test
    void aPropertyViolatedOnATraceIsNamed() throws Exception {
        checkAgainstExpected("spec-variant-norecheck.txt");
    }

    /** Checks a file of the set (against the spec variant its "# spec" line names) and compares every verdict. */
    private static KernelTraceCheck.Report checkAgainstExpected(String name) throws Exception {
        Path file = SET.resolve(name);
        Map<String, Expected> expected = new LinkedHashMap<>();
        String bug = "none";
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.startsWith("# expect ")) {
                String[] w = l.substring("# expect ".length()).split(" ", 3);
                expected.put(w[0], new Expected(KernelTraceCheck.Verdict.valueOf(w[1].replace('-', '_')),
                        w.length > 2 ? w[2] : ""));
            } else if (l.startsWith("# spec ")) {
                bug = l.substring("# spec ".length()).trim();
            }
        }
        KernelTraceCheck.Report report = KernelTraceCheck.check(ROOT, file,
                ROOT.resolve("target/trace-regression/" + name.replace(".txt", "")), -1, bug);
        List<String> wrong = new ArrayList<>();
        for (KernelTraceCheck.Outcome o : report.outcomes()) {
            System.out.println("trace-regression: " + o.trace() + ": " + o.verdict() + " " + o.detail());
            Expected e = expected.remove(o.trace());
            if (e == null) {
                wrong.add(o.trace() + ": no '# expect' line");
            } else if (e.verdict() != o.verdict() || !o.detail().contains(e.text())) {
                wrong.add(o.trace() + ": expected " + e.verdict() + " '" + e.text() + "', got " + o.verdict() + " "
                        + o.detail());
            }
        }
        expected.keySet().forEach(n -> wrong.add(n + ": expected, not in the report"));
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        return report;
    }

    @Test
    void anEmptyFileIsAnError() throws Exception {
        Path empty = SET.resolve("empty.txt");
        assertThrows(IllegalArgumentException.class,
                () -> KernelTraceCheck.check(ROOT, empty, ROOT.resolve("target/trace-regression-empty"), -1));
        assertEquals(2, KernelTraceCheck.run(empty, ROOT.resolve("target/trace-regression-empty")));
    }

    @Test
    void fewerTracesThanAskedForIsAnError() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelTraceCheck.check(ROOT,
                SET.resolve("regression.txt"), ROOT.resolve("target/trace-regression-count"), 13));
        assertTrue(e.getMessage().contains("fewer than the 13 asked for"), e.getMessage());
    }
}
