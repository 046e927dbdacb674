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

    static String row(String benchmark, String impl, int bucketBits, int size, double score) {
        return String.format(Locale.ROOT, "\"io.github.shadowvars.bench.ShadowVariablesBench.%s\",\"thrpt\",1,3,%f,NaN,"
                + "\"ops/us\",%d,%s,%d", benchmark, score, bucketBits, impl, size);
    }

    /**
     * The weak report: the shadow tables' bucket bits differ per size (2^12 at 1000, 2^17 at
     * 100000) and are paired with the maps of the same size; the weak GC flavour is judged against
     * ConcurrentHashMap (get hit 0.9) and Caffeine (get hit 10, churn 2); the checked flavour and
     * Guava are shown without a target; memory gets its ratios to the three maps.
     */
    @Test
    void theWeakReportJudgesTheWeakGcFlavourAtEachSize(@TempDir Path dir) throws IOException {
        // get hit / chm: 0.95 at 1000 (met), 0.85 at 100000 (median below 0.9); get hit / caffeine: 12 at
        // both (met); churn / caffeine: 2.5 at 1000 but one fork at 1.7 (< 1.8: not met), 3 at 100000 (met).
        List<List<BenchReport.Row>> forks = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            Path csv = dir.resolve("weak-fork" + f + ".csv");
            double churn1000 = f == 2 ? 1.7 : 2.5;
            Files.write(csv, List.of(HEADER,
                    row("getHit", "shadowweakgc", 12, 1000, 95), row("getHit", "shadowweak", 12, 1000, 40),
                    row("getHit", "shadowgc", 12, 1000, 100), row("getHit", "chm", 12, 1000, 100),
                    row("getHit", "caffeine", 12, 1000, 95 / 12.0), row("getHit", "guava", 12, 1000, 50),
                    row("churn", "shadowweakgc", 12, 1000, churn1000), row("churn", "caffeine", 12, 1000, 1),
                    row("getHit", "shadowweakgc", 17, 100000, 85), row("getHit", "chm", 12, 100000, 100),
                    row("getHit", "caffeine", 12, 100000, 85 / 12.0),
                    row("churn", "shadowweakgc", 17, 100000, 3), row("churn", "caffeine", 12, 100000, 1)));
            forks.add(BenchReport.readJmhCsv(csv));
        }
        String report = BenchReport.renderWeak("-f 1", forks, List.of("structure,count,bytesPerVariable",
                "shadowweakgc-b17,100000,50.0", "chm,100000,62.5", "caffeine,100000,100.0", "guava,100000,40.0"));
        System.out.println(report);
        assertTrue(report.contains("1000 live: 2^12, 100000 live: 2^17"), report);
        assertTrue(line(report, "get, hit | weak GC | chm").endsWith("| 1000 | 95.00 | 100.00 | 0.95 | 0.95–0.95"
                + " (5 forks) | ≥ 0.9 | yes |"), report);
        assertTrue(line(report, "get, hit | weak GC | caffeine").endsWith("| 12.00 | 12.00–12.00 (5 forks) | ≥ 10.0"
                + " | yes |"), report);
        assertTrue(line(report, "alloc+free, fresh key | weak GC | caffeine").endsWith("| ≥ 2.0 | **not met**:"
                + " slowest fork 1.70 < 1.80 (median 2.50) |"), report);
        assertTrue(line(report, "get, hit | weak GC | guava").endsWith("| 1.90 | 1.90–1.90 (5 forks) |  |  |"), report);
        assertTrue(line(report, "get, hit | weak GC | strong GC").endsWith("| 0.95 | 0.95–0.95 (5 forks) |  |  |"),
                report);
        assertTrue(line(report, "get, hit | weak checked | chm").endsWith("| 0.40 | 0.40–0.40 (5 forks) |  |  |"),
                report);
        List<String> at100000 = report.lines().filter(l -> l.contains("| 100000 |")).toList();
        assertTrue(at100000.stream().anyMatch(l -> l.startsWith("| get, hit | weak GC | chm |")
                && l.endsWith("| ≥ 0.9 | **not met**: median 0.85 < 0.9 |")), report);
        assertTrue(at100000.stream().anyMatch(l -> l.startsWith("| alloc+free, fresh key | weak GC | caffeine |")
                && l.endsWith("| ≥ 2.0 | yes |")), report);
        assertTrue(report.contains("| shadowweakgc-b17 | 100000 | 50.0 | 0.80 | 0.50 | 1.25 |"), report);
    }

    /** Fewer than five forks are shown, never met. */
    @Test
    void aWeakRunWithThreeForksMeetsNothing(@TempDir Path dir) throws IOException {
        List<List<BenchReport.Row>> forks = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            Path csv = dir.resolve("weak-fork" + f + ".csv");
            Files.write(csv, List.of(HEADER, row("getHit", "shadowweakgc", 12, 1000, 200),
                    row("getHit", "chm", 12, 1000, 100)));
            forks.add(BenchReport.readJmhCsv(csv));
        }
        String report = BenchReport.renderWeak("-f 1", forks, List.of());
        assertTrue(line(report, "get, hit | weak GC | chm").endsWith("| ≥ 0.9 | **not met**: 3 forks, 5 needed |"),
                report);
    }

    /**
     * The strong report pairs fork i of "after" with fork i of "before": after / before judged
     * against 0.95, ConcurrentHashMap's own after / before as the control, and each version's ratio
     * to ConcurrentHashMap with the row's target.
     */
    @Test
    void theStrongReportJudgesAfterAgainstBefore(@TempDir Path dir) throws IOException {
        double[] hitAfter = {96, 100, 99, 101, 97}; // / 100: median 0.99, slowest 0.96: no regression
        double[] churnAfter = {9, 8, 10, 9, 9};     // / 10: median 0.90 < 0.95: a regression
        List<List<BenchReport.Row>> before = new ArrayList<>();
        List<List<BenchReport.Row>> after = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            Path b = dir.resolve("strong-before-" + f + ".csv");
            Files.write(b, List.of(HEADER, row("getHit", "shadowgc", 100), row("getHit", "chm", 100),
                    row("churn", "shadowgc", 10), row("churn", "chm", 10)));
            before.add(BenchReport.readJmhCsv(b));
            Path a = dir.resolve("strong-after-" + f + ".csv");
            Files.write(a, List.of(HEADER, row("getHit", "shadowgc", hitAfter[f]), row("getHit", "chm", 95),
                    row("churn", "shadowgc", churnAfter[f]), row("churn", "chm", 10)));
            after.add(BenchReport.readJmhCsv(a));
        }
        String report = BenchReport.renderStrong("-f 1", before, after, List.of("version,structure,count,bytesPerVariable",
                "before,shadowgc-b12,100000,40.2", "after,shadowgc-b12,100000,40.2"));
        System.out.println(report);
        assertTrue(line(report, "get, hit | strong GC after (2^12 buckets) | strong GC before").endsWith("| 0.99 |"
                + " 0.96–1.01 (5 forks) | ≥ 0.95 | yes |"), report);
        assertTrue(line(report, "alloc+free, fresh key | strong GC after (2^12 buckets) | strong GC before")
                .endsWith("| ≥ 0.95 | **not met**: median 0.90 < 0.95 |"), report);
        assertTrue(line(report, "get, hit | chm (after) | chm (before), the control") // within 10 %: judged
                .endsWith("| 0.95 | 0.95–0.95 (5 forks) |  |  |"), report);
        assertTrue(line(report, "get, hit | strong GC before | chm").endsWith("| ≥ 1.0 | yes |"), report);
        assertTrue(line(report, "get, hit | strong GC after | chm").endsWith("| 1.04 | 1.01–1.06 (5 forks) | ≥ 1.0"
                + " | yes |"), report);
        assertTrue(line(report, "alloc+free, fresh key | strong GC after | chm").endsWith("| ≥ 0.8 | yes |"), report);
        assertTrue(report.contains("| after | shadowgc-b12 | 100000 | 40.2 |"), report);
    }

    /**
     * The tracer report (issue 23): each flavour with the seam against the copy without it, judged
     * against 0.95 by the rule, with ConcurrentHashMap's control and each version's ratio to it.
     */
    @Test
    void theTracerReportJudgesEachFlavourWithTheSeamAgainstWithout(@TempDir Path dir) throws IOException {
        double[] gcWith = {180, 182, 178, 181, 179}; // / 200: median 0.90 < 0.95: the seam would cost
        List<List<BenchReport.Row>> without = new ArrayList<>();
        List<List<BenchReport.Row>> with = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            Path w0 = dir.resolve("jmh-tracer-without-" + f + ".csv");
            Files.write(w0, List.of(HEADER, row("getHit", "shadow", 100), row("getHit", "shadowgc", 200),
                    row("getHit", "chm", 200)));
            without.add(BenchReport.readJmhCsv(w0));
            Path w1 = dir.resolve("jmh-tracer-with-" + f + ".csv");
            Files.write(w1, List.of(HEADER, row("getHit", "shadow", 99 + f % 2), row("getHit", "shadowgc", gcWith[f]),
                    row("getHit", "chm", 200)));
            with.add(BenchReport.readJmhCsv(w1));
        }
        String report = BenchReport.renderTracer("-f 1", without, with);
        System.out.println(report);
        assertTrue(line(report, "get, hit | checked with the seam (2^12 buckets) | checked without the seam")
                .endsWith("| ≥ 0.95 | yes |"), report);
        assertTrue(line(report, "get, hit | GC with the seam (2^12 buckets) | GC without the seam")
                .endsWith("| ≥ 0.95 | **not met**: median 0.90 < 0.95 |"), report);
        assertTrue(line(report, "get, hit | chm (with the seam) | chm (without the seam), the control")
                .endsWith("| 1.00 | 1.00–1.00 (5 forks) |  |  |"), report);
        assertTrue(line(report, "get, hit | GC without the seam | chm").endsWith("| ≥ 1.0 | yes |"), report);
        assertTrue(line(report, "get, hit | checked with the seam | chm").endsWith("|  |  |"), report); // no target
        String against = BenchReport.renderTracerBefore("-f 1", "130dd36", without, with);
        assertTrue(against.contains("src/main/java of 130dd36"), against);
        assertTrue(line(against, "get, hit | GC now (2^12 buckets) | GC before")
                .endsWith("| ≥ 0.95 | **not met**: median 0.90 < 0.95 |"), against);
    }

    /** main: --before picks the AGAINST section, and the CSVs named "without" are the baseline. */
    @Test
    void theTracerReportAgainstACommitGoesToItsOwnSection(@TempDir Path dir) throws IOException {
        List<String> args = new ArrayList<>(List.of("--kind", "tracer", "--before", "130dd36", "--settings", "-f 1",
                "--out", dir.resolve("B.md").toString()));
        for (int f = 0; f < 5; f++) {
            Path w0 = dir.resolve("jmh-tracer-without-" + f + ".csv");
            Files.write(w0, List.of(HEADER, row("getHit", "shadowgc", 200), row("getHit", "chm", 200)));
            Path w1 = dir.resolve("jmh-tracer-with-" + f + ".csv");
            Files.write(w1, List.of(HEADER, row("getHit", "shadowgc", 100), row("getHit", "chm", 200)));
            args.add(w0.toString());
            args.add(w1.toString());
        }
        BenchReport.main(args.toArray(String[]::new));
        String md = Files.readString(dir.resolve("B.md"));
        assertTrue(md.contains(BenchReport.TRACER_BEFORE_BEGIN) && !md.contains(BenchReport.TRACER_BEGIN), md);
        assertTrue(line(md, "get, hit | GC now (2^12 buckets) | GC before").endsWith("| 0.50 | 0.50–0.50 (5 forks) | ≥ 0.95"
                + " | **not met**: median 0.50 < 0.95 |"), md);
    }

    /**
     * A workload whose control (ConcurrentHashMap, the same code on both sides) moves a round by
     * more than 10 % is not judged: its rows name the control's spread in the verdict's place,
     * whether the table's ratio would pass or fail; a workload with a steady control is judged.
     */
    @Test
    void aRowIsNotJudgedWhereTheControlMovesARoundByMoreThanTenPercent(@TempDir Path dir) throws IOException {
        double[] chmWith = {200, 200, 300, 200, 200}; // one round of the control 1.50: the machine moved
        List<List<BenchReport.Row>> before = new ArrayList<>();
        List<List<BenchReport.Row>> now = new ArrayList<>();
        for (int f = 0; f < 5; f++) {
            before.add(List.of(new BenchReport.Row("mix", "shadowgc-b12", 1000, 100, 0),
                    new BenchReport.Row("mix", "chm", 1000, 200, 0),
                    new BenchReport.Row("getHit", "shadowgc-b12", 1000, 100, 0),
                    new BenchReport.Row("getHit", "chm", 1000, 200, 0)));
            now.add(List.of(new BenchReport.Row("mix", "shadowgc-b12", 1000, 50, 0),
                    new BenchReport.Row("mix", "chm", 1000, chmWith[f], 0),
                    new BenchReport.Row("getHit", "shadowgc-b12", 1000, 50, 0),
                    new BenchReport.Row("getHit", "chm", 1000, 209, 0)));
        }
        String report = BenchReport.renderTracerBefore("-f 1", "130dd36", before, now);
        assertTrue(line(report, "90% get / 10% churn, 2 threads (total) | GC now (2^12 buckets) | GC before")
                .endsWith("| 0.50 | 0.50–0.50 (5 forks) | ≥ 0.95 | not judged: the control (the same code on both"
                        + " sides) varies 1.00–1.50, over ±10 % |"), report);
        assertTrue(line(report, "get, hit | GC now (2^12 buckets) | GC before") // control 1.045: judged
                .endsWith("| ≥ 0.95 | **not met**: median 0.50 < 0.95 |"), report);
        assertTrue(line(report, "90% get / 10% churn, 2 threads (total) | GC now | chm") // the target against chm: judged
                .endsWith("| ≥ 0.5 | **not met**: median 0.25 < 0.5 |"), report);
        assertEquals(null, BenchReport.notJudged(List.of(new double[] {90, 100}, new double[] {110, 100})));
        assertTrue(BenchReport.notJudged(List.of(new double[] {89, 100})).contains("0.89–0.89"));
        assertEquals("not judged: no control", BenchReport.notJudged(List.of()));
    }
}
