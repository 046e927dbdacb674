package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLC's distributed mode (a TLCServer JVM and two TLCWorker JVMs on 127.0.0.1) and its random
 * simulation give the results the manifest records: on the runner's toy models always (a few
 * seconds per model), and on the project's models once model-check/manifest.tsv exists (its
 * smallest successful model and its smallest expected safety/deadlock violation; with
 * {@code -Dshadowvars.mode=main} only: they take tens of seconds distributed).
 */
class DistributedModeTest {

    static final Path TOY = ModelCheckRunnerTest.TOY;
    static final Duration LIMIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private String log = "";

    /**
     * The tlc.out (server, workers, re-check) of every model that did not go as expected, for the
     * failure message: the temporary directory it lives in is gone after the test. (Seen once in
     * the test command of 2026-12-07: toy_ok "TLC threw an unexpected exception" in distributed
     * mode, passing when re-run; its output was lost with the directory.)
     */
    private String tlcOutputOfMismatches(ModelCheckRunner.Report report) {
        StringBuilder b = new StringBuilder();
        for (ModelCheckRunner.ModelResult m : report.results()) {
            if (m.ok()) continue;
            Path f = tmp.resolve("out/tlc/" + m.row().model() + "/tlc.out");
            try {
                b.append("\n==== ").append(f).append(" ====\n").append(Files.readString(f, StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                b.append("\n(").append(f).append(" not readable: ").append(e).append(')');
            }
        }
        return b.toString();
    }

    private ModelCheckRunner.Report run(Path root, Path manifest, List<String> models, TlcLauncher launcher)
            throws Exception {
        ModelCheckRunner.Options options = ModelCheckRunner.Options.defaults(root).withManifest(manifest)
                .withOut(tmp.resolve("out")).withAllSizes(true).withModels(models);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ModelCheckRunner.Report report = new ModelCheckRunner(options, launcher, out).run();
        log = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        return report;
    }

    private static DistributedTlcLauncher distributed(boolean recheck) {
        Path jar = LocalTlcLauncher.findJar();
        return new DistributedTlcLauncher(jar, 2, "512m", "127.0.0.1", LIMIT,
                recheck ? new LocalTlcLauncher(jar, 1, "512m", LIMIT) : null);
    }

    private Path manifest(String rows) throws Exception {
        Path m = tmp.resolve("manifest.tsv");
        Files.writeString(m, "# written by the test\n" + Manifest.HEADER + "\n" + rows);
        return m;
    }

    /** How many times the server registered a worker (each TLCWorker JVM has 1 thread here). */
    private int registrations(String model) throws Exception {
        String out = Files.readString(tmp.resolve("out/tlc/" + model + "/tlc.out"));
        String server = DistributedTlcLauncher.sections(out).get("server")[1];
        Matcher m = Pattern.compile("Registration for worker at").matcher(server);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void toyModelsGiveTheManifestsResultsAndDistinctCountsDistributed() throws Exception {
        ModelCheckRunner.Report report = run(TOY, TOY.resolve("model-check/manifest.tsv"), List.of(), distributed(true));

        assertTrue(report.ok(), () -> report.summary() + tlcOutputOfMismatches(report));
        List<ModelCheckRunner.ModelResult> r = report.results();
        assertEquals(List.of("toy_ok", "toy_safety", "toy_deadlock", "toy_liveness"),
                r.stream().map(x -> x.row().model()).toList());
        assertEquals(List.of("OK", "OK", "OK", "SKIPPED"), r.stream().map(x -> x.verdict()).toList());
        // Success: exactly the manifest's distinct count, from the server's own summary.
        assertEquals("success", r.get(0).tlc().result());
        assertEquals(28L, r.get(0).tlc().distinct());
        // Both worker JVMs ran and left when told; on a model this small one of them may find the work
        // already done when it registers, so only "at least one registration" is certain.
        String out = Files.readString(tmp.resolve("out/tlc/toy_ok/tlc.out"));
        assertTrue(DistributedTlcLauncher.sections(out).keySet().containsAll(List.of("server", "worker-1", "worker-2")));
        assertTrue(registrations("toy_ok") >= 1);
        // Expected violations: found by the distributed search, named by the single-process re-check.
        assertEquals("safety", r.get(1).tlc().result());
        assertEquals("NoLostUpdate", r.get(1).tlc().violated());
        assertEquals("deadlock", r.get(2).tlc().result());
        // toy_ok names PROPERTY Termination: the summary says it went unchecked.
        assertTrue(r.get(0).problems().stream().anyMatch(p -> p.contains("Termination")), r.get(0).problems().toString());
        assertTrue(r.get(3).problems().get(0).contains("does not check temporal properties"));
        assertTrue(report.summary().contains("3 OK, 1 SKIPPED, 0 MISMATCH"), report.summary());
    }

    @Test
    void counterexampleOfAnExpectedViolationIsReportedWholeFromTheRecheck() throws Exception {
        ModelCheckRunner.Report report = run(TOY,
                manifest("toy_safety\tToyCounter\tsmall\tsafety\tNoLostUpdate\t-\t-\t-\tlost update\n"),
                List.of(), distributed(true));
        ModelCheckRunner.ModelResult r = report.results().get(0);

        assertEquals("OK", r.verdict(), report.summary());
        List<String> trace = r.trace();
        assertTrue(trace.size() >= 7, String.join("\n", trace)); // header + the 6+ steps of a lost update
        assertTrue(trace.get(1).matches("\\s+1\\s+Init\\s+x = 0; .*"), trace.get(1));
        assertTrue(Files.readString(tmp.resolve("out/tlc/toy_safety/trace.txt")).contains("Write"));
        String out = Files.readString(tmp.resolve("out/tlc/toy_safety/tlc.out"));
        assertTrue(DistributedTlcLauncher.sections(out).get("server")[1].contains("Error: The behavior up to this point is:"));
    }

    @Test
    void withoutRecheckTheServersViolationIsStillReportedButUnnamed() throws Exception {
        // The checker can fail: the model is declared violation-free, and the distributed search says otherwise.
        ModelCheckRunner.Report report = run(TOY,
                manifest("toy_safety\tToyCounter\tsmall\tsuccess\t-\t-\t-\t-\tdeclared safe (wrongly)\n"),
                List.of(), distributed(false));
        ModelCheckRunner.ModelResult r = report.results().get(0);

        assertFalse(report.ok());
        assertEquals("MISMATCH", r.verdict());
        assertEquals("violation", r.tlc().result());
        assertNull(r.tlc().violated());
        assertFalse(r.trace().isEmpty(), "the server's (partial) trace is still printed");
        assertTrue(log.contains("counterexample (distributed TLC reported a violation"), log);
    }

    @Test
    void simulationFindsTheLostUpdateAndReportsBehavioursAndDepthOtherwise() throws Exception {
        long seed = 20261126L;
        System.out.println("simulation seed " + seed);
        SimulationLauncher sim = new SimulationLauncher(LocalTlcLauncher.findJar(), "512m", 300, 15, seed, LIMIT);
        ModelCheckRunner.Report report = run(TOY, manifest(
                "toy_ok\tToyCounter\tsmall\tsuccess\t-\t28\t42\t7\tno violation\n"
                + "toy_safety\tToyCounter\tsmall\tsafety\tNoLostUpdate\t27\t36\t7\tlost update\n"
                + "toy_deadlock\tToyCounter\tsmall\tsafety\tTypeOK\t-\t-\t-\tno TypeOK violation exists\n"),
                List.of(), sim);
        List<ModelCheckRunner.ModelResult> r = report.results();

        assertEquals(List.of("OK", "OK", "MISMATCH"), r.stream().map(x -> x.verdict()).toList(), report.summary());
        assertEquals(300L, r.get(0).tlc().traces());
        assertEquals(15L, r.get(0).tlc().depth(), "behaviours stutter on after termination, up to -depth");
        assertTrue(r.get(0).problems().stream().anyMatch(p -> p.contains("proves nothing")), r.get(0).problems().toString());
        assertEquals("NoLostUpdate", r.get(1).tlc().violated());
        assertNull(r.get(1).tlc().traces(), "a simulation stopped by a violation does not know how many it ran");
        assertEquals("deadlock", r.get(2).tlc().result()); // Gate = 3 never opens
        assertTrue(log.contains("simulation: 300 behaviours explored, largest depth 15"), log);
        assertTrue(log.contains("simulation: stopped at the first violation"), log);
    }

    @Test
    void simulationThatMissesAnExpectedViolationSaysNotFound() throws Exception {
        // One behaviour of 3 states cannot complete both processes: the lost update is out of reach.
        SimulationLauncher sim = new SimulationLauncher(LocalTlcLauncher.findJar(), "512m", 1, 3, 1L, LIMIT);
        ModelCheckRunner.Report report = run(TOY,
                manifest("toy_safety\tToyCounter\tsmall\tsafety\tNoLostUpdate\t-\t-\t-\tlost update\n"), List.of(), sim);
        ModelCheckRunner.ModelResult r = report.results().get(0);

        assertEquals("NOT FOUND", r.verdict(), report.summary());
        assertTrue(r.problems().get(0).contains("simulation found no violation in 1 behaviours"), r.problems().toString());
        assertTrue(report.summary().contains("1 NOT FOUND"), report.summary());
    }

    /**
     * The project's own models, once the specification has landed: the smallest model expected to
     * succeed and the smallest expected to be violated, each checked distributed.
     */
    @Test
    void projectModelsGiveTheManifestsResultsDistributed() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path manifestFile = root.resolve("model-check/manifest.tsv");
        assumeTrue(Files.exists(manifestFile), "skipped: " + manifestFile + " does not exist yet");
        Manifest manifest = Manifest.read(manifestFile);
        Comparator<Manifest.Row> bySize = Comparator.comparing(x -> x.distinct() == null ? Long.MAX_VALUE : x.distinct());
        Optional<Manifest.Row> success = manifest.rows.stream()
                .filter(x -> x.expected().equals("success")).min(bySize);
        Optional<Manifest.Row> violated = manifest.rows.stream()
                .filter(x -> x.expected().equals("safety") || x.expected().equals("deadlock")).min(bySize);
        assumeTrue(success.isPresent() && violated.isPresent(), "the manifest has no success or no safety model yet");
        // Even the smallest project model takes tens of seconds distributed: main mode only.
        assumeTrue(System.getProperty("shadowvars.mode", "test").equals("main"),
                "skipped in test mode (distributed checks of project models run with -Dshadowvars.mode=main)");

        ModelCheckRunner.Report report = run(root, manifestFile,
                List.of(success.get().model(), violated.get().model()), distributed(true));

        assertTrue(report.ok(), report.summary());
        ModelCheckRunner.ModelResult s = report.results().stream()
                .filter(x -> x.row().model().equals(success.get().model())).findFirst().orElseThrow();
        assertEquals(success.get().distinct(), s.tlc().distinct());
        ModelCheckRunner.ModelResult v = report.results().stream()
                .filter(x -> x.row().model().equals(violated.get().model())).findFirst().orElseThrow();
        assertEquals(violated.get().expected(), v.tlc().result());
        assertFalse(v.trace().isEmpty(), "the counterexample is reported");
    }
}
