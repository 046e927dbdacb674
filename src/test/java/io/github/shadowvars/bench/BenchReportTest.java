package io.github.shadowvars.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BenchReport's rule for a target, on synthetic JMH CSV rows: met only when the median of five
 * per-fork ratios reaches the target and the slowest fork is within 10 % of it; otherwise "not
 * met" with the figures. Three workloads, five forks each: one that meets its target, one whose
 * median is below it, one whose median reaches it but whose slowest fork is more than 10 % below.
 */
class BenchReportTest {

    static final String HEADER = "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\","
            + "\"Unit\",\"Param: bucketBits\",\"Param: impl\",\"Param: size\"";

    static String row(String benchmark, String impl, double score) {
        return String.format(Locale.ROOT, "\"io.github.shadowvars.bench.ShadowVariablesBench.%s\",\"thrpt\",1,3,%f,NaN,"
                + "\"ops/us\",12,%s,1000", benchmark, score, impl);
    }

    /** The table row of the forks report for a workload, flavour and baseline. */
    static String line(String report, String prefix) {
        return report.lines().filter(l -> l.startsWith("| " + prefix + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("no row \"" + prefix + "\" in:\n" + report));
    }

    @Test
    void aTargetIsMetOnlyByTheMedianOfFiveForksWithTheSlowestWithinTenPercent(@TempDir Path dir) throws IOException {
        // GC / baseline per fork: getHit meets 1.0 (1.05, 1.10, 0.95, 1.20, 1.00: median 1.05, slowest 0.95 >= 0.90);
        // getMiss: median 0.98 < 1.0; churn (target 0.8): median 0.85 but slowest 0.70 < 0.72.
        double[] hit = {1.05, 1.10, 0.95, 1.20, 1.00};
        double[] miss = {0.98, 1.20, 0.90, 0.97, 1.01};
        double[] churn = {0.85, 0.90, 0.70, 0.86, 0.84};
        List<List<BenchReport.Row>> forks = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            Path csv = dir.resolve("fork" + f + ".csv");
            Files.write(csv, List.of(HEADER,
                    row("getHit", "shadowgc", 100 * hit[f]), row("getHit", "chm", 100),
                    row("getMiss", "shadowgc", 100 * miss[f]), row("getMiss", "chm", 100),
                    row("churn", "shadowgc", 10 * churn[f]), row("churn", "chm", 10)));
            forks.add(BenchReport.readJmhCsv(csv));
        }
        String report = BenchReport.renderForks("-f 1", forks);
        System.out.println(report);

        String met = line(report, "get, hit | GC | chm");
        assertTrue(met.endsWith("| 1.05 | 0.95–1.20 (5 forks) | ≥ 1.0 | yes |"), met);
        String medianBelow = line(report, "get, miss | GC | chm");
        assertTrue(medianBelow.endsWith("| ≥ 1.0 | **not met**: median 0.98 < 1.0 |"), medianBelow);
        String slowFork = line(report, "alloc+free, fresh key | GC | chm");
        assertTrue(slowFork.endsWith("| ≥ 0.8 | **not met**: slowest fork 0.70 < 0.72 (median 0.85) |"), slowFork);
    }

    @Test
    void fewerThanFiveForksMeetNothing() {
        assertEquals("**not met**: 1 fork, 5 needed", BenchReport.verdict(new double[] {2.0}, 1.0));
        assertEquals("**not met**: 4 forks, 5 needed", BenchReport.verdict(new double[] {2, 2, 2, 2}, 1.0));
        assertEquals("yes", BenchReport.verdict(new double[] {2, 2, 2, 2, 2}, 1.0));
        assertEquals("yes", BenchReport.verdict(new double[] {0.9, 1, 1, 1, 1}, 1.0), "exactly 10 % below: within");
    }

    /** getOrAlloc's target is against the get-then-computeIfAbsent idiom; chm and caffeine are shown beside it. */
    @Test
    void getOrAllocIsJudgedAgainstTheIdiom(@TempDir Path dir) throws IOException {
        List<List<BenchReport.Row>> forks = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            Path csv = dir.resolve("fork" + f + ".csv");
            Files.write(csv, List.of(HEADER,
                    row("getOrAllocExisting", "shadowgc", 100), row("getOrAllocExisting", "chmidiom", 200),
                    row("getOrAllocExisting", "chm", 50), row("getOrAllocExisting", "caffeine", 25)));
            forks.add(BenchReport.readJmhCsv(csv));
        }
        String report = BenchReport.renderForks("-f 1", forks);
        assertTrue(line(report, "getOrAlloc, existing | GC | chmidiom").endsWith("| 0.50 | 0.50–0.50 (5 forks) | ≥ 1.0"
                + " | **not met**: median 0.50 < 1.0 |"), report);
        assertTrue(line(report, "getOrAlloc, existing | GC | chm").endsWith("| 2.00 | 2.00–2.00 (5 forks) |  |  |"), report);
        assertTrue(line(report, "getOrAlloc, existing | GC | caffeine").contains("| 4.00 |"), report);
    }
}
