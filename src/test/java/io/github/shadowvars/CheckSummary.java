package io.github.shadowvars;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * The one summary table of a test run (README's two commands): one row per test class, with its
 * tests passed / failed / skipped, its time, and the figures a checker reported through
 * {@link #figures(Class, String)} (states, traces, samples, sequences...). Printed when the run
 * ends and written to {@code target/check-summary.md}. Registered as a JUnit Platform
 * {@link TestExecutionListener} in META-INF/services, so it sees every test class surefire runs.
 *
 * <p>The figures live in a static map: this is test infrastructure of one JVM run, not library
 * state (the library itself has no static state).
 */
public final class CheckSummary implements TestExecutionListener {

    /** Figures reported by checkers, by test class name. */
    private static final Map<String, List<String>> FIGURES = new ConcurrentHashMap<>();

    /** Counts of one test class. */
    private static final class Row {
        int passed;
        int failed;
        int skipped;
        long startNanos;
        long nanos;
    }

    private final Map<String, Row> rows = new ConcurrentSkipListMap<>();

    /**
     * Reports one figure line of a checker (shown in the summary's last column). A line already
     * reported is not repeated: the kit's own tests run some checkers again in the same JVM.
     */
    public static void figures(Class<?> checker, String text) {
        List<String> lines = FIGURES.computeIfAbsent(checker.getName(), k -> new ArrayList<>());
        synchronized (lines) {
            if (!lines.contains(text)) {
                lines.add(text);
            }
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        classOf(id).filter(c -> id.isContainer())
                .ifPresent(c -> rows.computeIfAbsent(c, k -> new Row()).startNanos = System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (id.isTest()) {
            classOf(id).ifPresent(c -> rows.computeIfAbsent(c, k -> new Row()).skipped++);
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Optional<String> cls = classOf(id);
        if (cls.isEmpty()) {
            return;
        }
        Row row = rows.computeIfAbsent(cls.get(), k -> new Row());
        if (id.isTest()) {
            switch (result.getStatus()) {
                case SUCCESSFUL -> row.passed++;
                case ABORTED -> row.skipped++; // an assumption did not hold: skipped, not failed
                default -> row.failed++;
            }
        } else if (id.getSource().filter(ClassSource.class::isInstance).isPresent()) {
            row.nanos = System.nanoTime() - row.startNanos;
            if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                row.failed++; // a failing class-level setup
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        List<String> lines = table();
        PrintStream out = System.out;
        out.println();
        out.println("==== shadowvars check summary ====");
        lines.forEach(out::println);
        try {
            Path file = Path.of("target", "check-summary.md");
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
            out.println("(written to " + file.toAbsolutePath() + ")");
        } catch (IOException e) {
            out.println("(could not write target/check-summary.md: " + e + ")");
        }
    }

    /** The markdown table. */
    List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add("| check (test class) | passed | failed | skipped | seconds | figures |");
        lines.add("|---|---:|---:|---:|---:|---|");
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        double seconds = 0;
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            passed += r.passed;
            failed += r.failed;
            skipped += r.skipped;
            seconds += r.nanos / 1e9;
            String name = e.getKey().replaceFirst("^io\\.github\\.shadowvars\\.", "");
            String figures = String.join("; ", FIGURES.getOrDefault(e.getKey(), List.of())).replace("|", "/");
            lines.add(String.format("| %s | %d | %d | %d | %.1f | %s |", name, r.passed, r.failed, r.skipped,
                    r.nanos / 1e9, figures));
        }
        lines.add(String.format("| **total** | %d | %d | %d | %.1f | %s |", passed, failed, skipped, seconds,
                failed == 0 ? "all checks passed" : "FAILURES"));
        return lines;
    }

    private static Optional<String> classOf(TestIdentifier id) {
        return id.getSource().flatMap(s -> {
            if (s instanceof ClassSource cs) {
                return Optional.of(cs.getClassName());
            }
            if (s instanceof org.junit.platform.engine.support.descriptor.MethodSource ms) {
                return Optional.of(ms.getClassName());
            }
            return Optional.empty();
        });
    }
}
