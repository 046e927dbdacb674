package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self tests of the model-check runner on the toy modules in src/test/resources/modelcheck-toy/
 * (ToyCounter: two processes increment a counter in a read and a write step, so an update can be
 * lost; ToyBroken: a syntax error). Each test runs TLC (in its own JVM) on one to four tiny models.
 * They show that every outcome is reported as what it is, and that the runner fails when TLC's
 * outcome or counts differ from the manifest, in particular when a model that must fail passes.
 */
class ModelCheckRunnerTest {

    /** The toy project: spec/ToyCounter.tla, spec/ToyBroken.tla, model-check/*.cfg, manifest, labels. */
    static final Path TOY = Path.of("src/test/resources/modelcheck-toy").toAbsolutePath();

    static final String HEADER = Manifest.HEADER + "\n";

    @TempDir
    Path tmp;

    /** Runs the runner on the toy modules with a manifest of the given rows (HEADER is added). */
    private ModelCheckRunner.Report run(String rows, boolean update) throws Exception {
        Path manifest = tmp.resolve("manifest.tsv");
        Files.writeString(manifest, "# a manifest written by the test\n" + HEADER + rows);
        return runWith(manifest, update);
    }

    private String log = "";

    private ModelCheckRunner.Report runWith(Path manifest, boolean update) throws Exception {
        ModelCheckRunner.Options options = ModelCheckRunner.Options.defaults(TOY).withManifest(manifest)
                .withOut(tmp.resolve("out")).withAllSizes(true).withUpdateManifest(update);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ModelCheckRunner.Report report = new ModelCheckRunner(options,
                new LocalTlcLauncher(LocalTlcLauncher.findJar(), 1, "512m"), out).run();
        log = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        return report;
    }

    private static ModelCheckRunner.ModelResult only(ModelCheckRunner.Report report) {
        assertEquals(1, report.results().size());
        return report.results().get(0);
    }

    @Test
    void toyManifestReportsSuccessSafetyDeadlockAndLivenessAsRecorded() throws Exception {
        ModelCheckRunner.Report report = runWith(TOY.resolve("model-check/manifest.tsv"), false);

        assertTrue(report.ok(), report.summary());
        List<ModelCheckRunner.ModelResult> r = report.results();
        assertEquals(List.of("toy_ok", "toy_safety", "toy_deadlock", "toy_liveness"),
                r.stream().map(x -> x.row().model()).toList());
        assertEquals(List.of("success", "safety", "deadlock", "liveness"),
                r.stream().map(x -> x.tlc().result()).toList());
        assertEquals(List.of(0, 12, 11, 13), r.stream().map(x -> x.tlc().exitCode()).toList());
        assertNull(r.get(0).tlc().violated());
        assertEquals("NoLostUpdate", r.get(1).tlc().violated());
        assertEquals("EventuallyAllCounted", r.get(3).tlc().violated());
        assertEquals(List.of(28L, 27L, 13L, 28L), r.stream().map(x -> x.tlc().distinct()).toList());
        assertEquals(List.of(42L, 36L, 15L, 42L), r.stream().map(x -> x.tlc().total()).toList());
        assertEquals(7L, r.get(0).tlc().depth());
        assertNull(r.get(3).tlc().depth(), "TLC prints no depth after a liveness violation");
        String summary = Files.readString(tmp.resolve("out/model-check-summary.md"));
        assertTrue(summary.contains("| toy_safety "), summary);
        assertTrue(summary.contains("4 OK, 0 MISMATCH"), summary);
        assertTrue(Files.exists(tmp.resolve("out/tlc/toy_ok/tlc.out")));
        assertTrue(Files.readString(tmp.resolve("out/tlc/toy_ok/tlc.out")).contains("No error has been found"));
    }

    @Test
    void everyCheckReportsItsCostInTheSummaryAndTheCostFile() throws Exception {
        ModelCheckRunner.Report report = run("toy_ok\tToyCounter\tsmall\tsuccess\t-\t28\t42\t7\tcost\n", false);
        ModelCheckRunner.ModelResult r = only(report);

        assertTrue(r.seconds() > 0);
        assertEquals(28 / r.seconds(), r.distinctPerSecond(), 1e-9);
        assertEquals(42 / r.seconds(), r.generatedPerSecond(), 1e-9);
        assertTrue(r.usage().cpuSeconds() != null && r.usage().cpuSeconds() > 0, "cpu " + r.usage());
        if (ResourceWatch.memoryVisible()) {
            // Any JVM holds more than 16 MiB resident; 0 or null would mean the watch saw nothing.
            assertTrue(r.usage().peakKb() != null && r.usage().peakKb() > 16 * 1024, "peak " + r.usage());
        } else {
            assertNull(r.usage().peakKb(), "no /proc: the peak must be unknown, not invented");
        }
        String peak = ModelCheckRunner.mib(r.usage().peakKb());
        String rate = ModelCheckRunner.whole(r.generatedPerSecond());
        String summary = Files.readString(tmp.resolve("out/model-check-summary.md"));
        assertTrue(summary.contains("| peak MiB |"), summary);
        assertTrue(summary.matches("(?s).*\\| toy_ok .*\\| +" + rate + " \\| +" + peak + " \\| OK +\\|.*"), summary);
        String cost = Files.readString(tmp.resolve("out/model-check-cost.md"));
        assertTrue(cost.contains(Runtime.getRuntime().availableProcessors() + " CPUs"), cost);
        assertTrue(cost.contains("load average"), cost);
        assertTrue(cost.matches("(?s).*\\| toy_ok +\\| small \\| success \\| +28 \\| +42 \\| +7 \\|.*\\| +" + rate
                + " \\| +" + peak + " \\|\n.*"), cost);
    }

    @Test
    void peakMemoryIsReadFromVmHwm() {
        assertEquals(123456L, ResourceWatch.parseVmHwm("Name:\tjava\nVmPeak:\t 999999 kB\nVmHWM:\t  123456 kB\n"
                + "VmRSS:\t  100000 kB\n"));
        assertNull(ResourceWatch.parseVmHwm("Name:\tjava\nState:\tZ (zombie)\n"));
    }

    @Test
    void parseErrorIsReportedAsErrorAndIsAMismatch() throws Exception {
        ModelCheckRunner.ModelResult r = only(run("toy_error\tToyBroken\tsmall\tsuccess\t-\t-\t-\t-\tsyntax error\n", false));

        assertEquals("error", r.tlc().result());
        assertTrue(r.tlc().exitCode() >= 150, "exit code " + r.tlc().exitCode());
        assertEquals("MISMATCH", r.verdict());
        assertTrue(r.problems().get(0).contains("expected success but TLC reported error"), r.problems().toString());
    }

    @Test
    void changedStateCountIsAMismatchThatNamesTheNewNumbers() throws Exception {
        ModelCheckRunner.Report report = run("toy_ok\tToyCounter\tsmall\tsuccess\t-\t27\t42\t7\twrong distinct\n", false);
        ModelCheckRunner.ModelResult r = only(report);

        assertFalse(report.ok());
        assertEquals("success", r.tlc().result());
        assertEquals("MISMATCH", r.verdict());
        String problems = String.join("\n", r.problems());
        assertTrue(problems.contains("distinct: manifest records 27, TLC reported 28"), problems);
        assertTrue(problems.contains("distinct=28 total=42 depth=7"), problems);
        assertTrue(report.summary().contains("28 (manifest: 27)"), report.summary());
    }

    @Test
    void expectedViolationThatDoesNotHappenIsAMismatch() throws Exception {
        // A checker that cannot fail is caught: the model is expected to violate TypeOK, but TypeOK holds.
        ModelCheckRunner.ModelResult r = only(run("toy_ok\tToyCounter\tsmall\tsafety\tTypeOK\t-\t-\t-\tcannot fail\n", false));

        assertEquals("success", r.tlc().result());
        assertEquals("MISMATCH", r.verdict());
        assertTrue(r.problems().get(0).contains("TLC found no violation"), r.problems().toString());
    }

    @Test
    void violationOfAnotherInvariantIsAMismatch() throws Exception {
        ModelCheckRunner.ModelResult r = only(run("toy_safety\tToyCounter\tsmall\tsafety\tTypeOK\t27\t36\t7\twrong name\n", false));

        assertEquals("safety", r.tlc().result());
        assertEquals("NoLostUpdate", r.tlc().violated());
        assertEquals("MISMATCH", r.verdict());
    }

    @Test
    void unexpectedDeadlockIsAMismatchAndPrintsTheCounterexample() throws Exception {
        ModelCheckRunner.ModelResult r = only(run("toy_deadlock\tToyCounter\tsmall\tsuccess\t-\t-\t-\t-\tgate shut\n", false));

        assertEquals("deadlock", r.tlc().result());
        assertEquals("MISMATCH", r.verdict());
        assertTrue(log.contains("counterexample (Deadlock reached.)"), log);
        // One line per step: process, label, C step from labels.tsv, and only what changed.
        List<String> trace = r.trace();
        assertEquals(6, trace.size(), String.join("\n", trace)); // header + 5 states
        assertTrue(trace.get(1).matches("\\s+1\\s+Init\\s+x = 0; pc = .*"), trace.get(1));
        assertTrue(trace.get(2).matches("\\s+2\\s+p1\\s+Read\\s+tmp = READ_ONCE\\(x\\)\\s+\\(no variable changed\\)"), trace.get(2));
        assertTrue(trace.get(3).matches("\\s+3\\s+p1\\s+Write\\s+WRITE_ONCE\\(x, tmp \\+ 1\\)\\s+x: 0 -> 1"), trace.get(3));
        assertTrue(trace.get(4).matches("\\s+4\\s+p2\\s+Read\\s+.*tmp\\[p2\\]: 0 -> 1"), trace.get(4));
        assertTrue(trace.get(5).matches("\\s+5\\s+p2\\s+Write\\s+.*x: 1 -> 2"), trace.get(5));
        assertTrue(Files.readString(tmp.resolve("out/tlc/toy_deadlock/trace.txt")).contains("tmp[p2]: 0 -> 1"));
    }

    @Test
    void updateManifestRewritesOnlyTheCountsOfRowsWhoseResultMatched() throws Exception {
        Path manifest = tmp.resolve("manifest.tsv");
        Files.writeString(manifest, "# keep this comment\n" + HEADER
                + "toy_ok\tToyCounter\tsmall\tsuccess\t-\t1\t2\t3\tstale counts\n"
                + "toy_deadlock\tToyCounter\tsmall\tdeadlock\t-\t-\t-\t-\tnot recorded yet\n"
                + "toy_safety\tToyCounter\tsmall\tsuccess\t-\t5\t6\t7\twrong result: left alone\n");

        ModelCheckRunner.Report report = runWith(manifest, true);

        assertEquals(List.of("UPDATED", "UPDATED", "MISMATCH"), report.results().stream().map(r -> r.verdict()).toList());
        assertEquals("# keep this comment\n" + HEADER
                + "toy_ok\tToyCounter\tsmall\tsuccess\t-\t28\t42\t7\tstale counts\n"
                + "toy_deadlock\tToyCounter\tsmall\tdeadlock\t-\t13\t15\t5\tnot recorded yet\n"
                + "toy_safety\tToyCounter\tsmall\tsuccess\t-\t5\t6\t7\twrong result: left alone\n",
                Files.readString(manifest));
    }

    @Test
    void traceParserHandlesMultiLineValuesRecordsAndLoopsBack() {
        String output = String.join("\n",
                "Error: Temporal properties were violated.",
                "",
                "Error: The following behavior constitutes a counter-example:",
                "",
                "State 1: <Initial predicate>",
                "/\\ obj = [id |-> 1, data |-> \"a, b\"]",
                "/\\ table = { [obj |-> 1, id |-> 7],",
                "     [obj |-> 2, id |-> 7] }",
                "/\\ pc = <<\"Get\", \"Free\">>",
                "",
                "State 2: <Free(self) line 10, col 1 to line 12, col 9 of module M>",
                "/\\ obj = [id |-> 2, data |-> \"a, b\"]",
                "/\\ table = { [obj |-> 1, id |-> 7] }",
                "/\\ pc = <<\"Get\", \"Done\">>",
                "",
                "State 3: <Get line 10, col 1 to line 12, col 9 of module M>",
                "/\\ obj = [id |-> 2, data |-> \"a, b\"]",
                "/\\ table = { [obj |-> 1, id |-> 7] }",
                "/\\ pc = <<\"Get\", \"Done\">>",
                "",
                "Back to state 2: <Get line 10, col 1 to line 12, col 9 of module M>",
                "",
                "Finished checking temporal properties in 00s",
                "120 states generated, 1,234 distinct states found, 0 states left on queue.");
        TlcOutput t = TlcOutput.parse(13, output, "Prop");

        assertEquals("liveness", t.result());
        assertEquals("Prop", t.violated());
        assertEquals(1234L, t.distinct());
        assertEquals(120L, t.total());
        assertEquals(4, t.trace().size());
        assertEquals("{ [obj |-> 1, id |-> 7], [obj |-> 2, id |-> 7] }", t.trace().get(0).vars().get("table"));
        assertEquals(TlcOutput.Kind.BACK, t.trace().get(3).kind());

        List<String> lines = Counterexample.format(t.trace(), Map.of("Free", "hash_del_rcu(&shadow->node)"));
        String all = String.join("\n", lines);
        assertTrue(lines.get(2).matches("\\s+2\\s+2\\s+Free\\s+hash_del_rcu\\(&shadow->node\\)\\s+obj.id: 1 -> 2; table: .*"), all);
        assertTrue(lines.get(3).matches("\\s+3\\s+1\\s+Get\\s+\\(no variable changed\\)"), all);
        assertTrue(lines.get(4).matches("\\s+->2\\s+1\\s+Get\\s+back to state 2 \\(no variable changed\\)"), all);
    }

    @Test
    void onlyPropertyIsReadFromTheConfig() throws IOException {
        Path cfg = tmp.resolve("m.cfg");
        Files.writeString(cfg, "SPECIFICATION Spec\n\\* PROPERTY Commented\nPROPERTIES\n  P1\nINVARIANT I\n");
        assertEquals("P1", ModelCheckRunner.onlyProperty(cfg));
        Files.writeString(cfg, "SPECIFICATION Spec\nPROPERTY P1 P2\n");
        assertNull(ModelCheckRunner.onlyProperty(cfg));
    }

    @Test
    void aCfgLineAsksForWorkers() {
        assertEquals(Integer.valueOf(2), ModelCheckRunner.workersDirective(List.of("\\* Success.", "\\* runner: workers=2", "CONSTANTS")));
        assertNull(ModelCheckRunner.workersDirective(List.of("\\* a model with one worker", "SPECIFICATION Spec")));
        assertNull(ModelCheckRunner.workersDirective(List.of("INVARIANT Inv \\* runner: workers=2")), "only a line of its own");
        assertEquals(Long.valueOf(-7), ModelCheckRunner.seedDirective(List.of("\\* Expected failure.", "\\* runner: seed=-7")));
        assertNull(ModelCheckRunner.seedDirective(List.of("\\* runner: workers=2", "NHeaps = 1000 \\* runner: seed=2")), "only a line of its own");
    }

    @Test
    void aCfgLineAsksForSimulationWithItsBudget() {
        long[] sim = ModelCheckRunner.simulationDirective(List.of("\\* Success.", "\\* runner: simulate num=100000 depth=250",
                "CONSTANTS", "\\* runner: simulate num=1 depth=1"));
        assertEquals(100000L, sim[0]);
        assertEquals(250L, sim[1]);
        assertNull(ModelCheckRunner.simulationDirective(List.of("\\* a model checked exhaustively", "SPECIFICATION Spec")));
        assertNull(ModelCheckRunner.simulationDirective(List.of("\\* runner: simulate num=10")), "depth is required");
        assertNull(ModelCheckRunner.simulationDirective(List.of("INVARIANT Inv \\* runner: simulate num=1 depth=1")),
                "only a line of its own");
    }

    @Test
    void aSuccessWithFewerInitialStatesThanTheCfgAsksForIsAMismatch() throws Exception {
        // ToyCounter has one initial state; toy_few_initial.cfg asks for at least two.
        ModelCheckRunner.ModelResult r = only(run("toy_few_initial\tToyCounter\tsmall\tsuccess\t-\t-\t-\t-\tfew\n", false));
        assertEquals("success", r.tlc().result());
        assertEquals("MISMATCH", r.verdict());
        assertTrue(r.problems().get(0).contains("TLC checked 1 distinct initial states, fewer than the 2"), r.problems().toString());

        assertEquals(2L, ModelCheckRunner.initialStatesDirective(List.of("\\* x", "\\* runner: initial-states>=2")));
        assertNull(ModelCheckRunner.initialStatesDirective(List.of("\\* runner: simulate num=1 depth=1")));
        assertEquals(20279L, ModelCheckRunner.initialStates(List.of(
                "Finished computing initial states: 20,279 distinct states generated at 2026-12-02 04:40:01.")));
    }

    @Test
    void anExitCodeZeroAfterAnErrorIsNoSuccess() {
        // TLC 2.18 exited with 0 after a StackOverflowError while computing initial states (2026-12-06).
        TlcOutput t = TlcOutput.parse(0, "Computing initial states...\nError: This was a Java StackOverflowError.\n"
                + "3812 states generated, 3812 distinct states found, 3812 states left on queue.\n", null);
        assertEquals("error", t.result());
        assertEquals("success", TlcOutput.parse(0, "Model checking completed. No error has been found.\n", null).result());
    }

    @Test
    void theDrawnStatesHistogramCountsDrawsPerLabelStateAndLongestChain() {
        List<String> h = ModelCheckRunner.drawHistogram(List.of(
                "<<\"IndInvDraw\", (p1 :> \"idle\" @@ p2 :> \"idle\"), (e1 :> \"free\" @@ e2 :> \"published\"), (0 :> 1 @@ 1 :> 0)>>",
                "other output",
                "<< \"IndInvDraw\",", "   (p1 :> \"g_walk\" @@ p2 :> \"idle\"),",
                "   (e1 :> \"published\" @@ e2 :> \"published\"),", "   (0 :> 2 @@ 1 :> 0) >>"));
        assertEquals("drawn states (printed by the initial predicate): 2", h.get(0));
        assertEquals("draws with a thread at each label: g_walk 50.0%, idle 100.0%", h.get(1));
        assertEquals("draws with an entry in each state: free 50.0%, published 100.0%", h.get(2));
        assertEquals("draws by longest bucket chain (reachable entries): 1 50.0%, 2 50.0%", h.get(3));
        assertTrue(ModelCheckRunner.drawHistogram(List.of("Model checking completed.")).isEmpty());
    }
}
