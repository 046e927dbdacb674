package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API's Javadoc passes doclint with every group on ({@code -Xdoclint:all}): javadoc runs
 * on the module io.github.shadowvars (what it exports, as the -javadoc jar documents it) and no
 * file may have a warning or error, except the files in {@link #PENDING}, which are being rewritten
 * elsewhere. A pending file that has become clean fails the test too, so the list only shrinks.
 */
class ApiDocLintTest {

    /** Files whose doclint warnings are tolerated for now, and why; remove an entry once its file is clean. */
    static final Map<String, String> PENDING = Map.of();

    @Test
    void thePublicApiHasNoDoclintWarning(@TempDir Path out) throws IOException {
        Map<String, List<String>> found = lint(Path.of("src/main/java"), "io.github.shadowvars", out);

        List<String> unexpected = new ArrayList<>();
        found.forEach((file, messages) -> {
            if (!PENDING.containsKey(file)) {
                messages.forEach(m -> unexpected.add(file + ":" + m));
            }
        });
        List<String> cleanNow = PENDING.keySet().stream().filter(f -> !found.containsKey(f)).sorted().toList();
        List<String> pending = new ArrayList<>();
        found.forEach((file, messages) -> {
            if (PENDING.containsKey(file)) {
                pending.add(file + " " + messages.size());
            }
        });
        CheckSummary.figures(getClass(), "doclint (all groups) on the public API: " + unexpected.size()
                + " warnings" + (pending.isEmpty() ? "" : "; pending: " + String.join(", ", pending)));
        found.forEach((file, messages) -> {
            if (PENDING.containsKey(file)) {
                System.out.println("doclint, pending (" + PENDING.get(file) + "): " + file + " " + messages);
            }
        });
        assertTrue(unexpected.isEmpty(), "doclint warnings on the public API:\n" + String.join("\n", unexpected));
        assertTrue(cleanNow.isEmpty(), cleanNow + " now pass doclint: remove them from ApiDocLintTest.PENDING");
    }

    @Test
    void theLintReportsAnUndocumentedPublicMethod(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("example/lint"));
        Files.writeString(src.resolve("module-info.java"), "/** A module. */ module example.lint { exports example.lint; }");
        Files.writeString(src.resolve("example/lint/Api.java"), "package example.lint;\n"
                + "/** A class. */\npublic final class Api {\n  /** Documented. */\n  public Api() {}\n"
                + "  /** Adds. */\n  public int add(int a, int b) { return a + b; }\n}\n");

        Map<String, List<String>> found = lint(src, "example.lint", dir.resolve("out"));

        assertEquals(List.of("Api.java"), List.copyOf(found.keySet()));
        String all = String.join("\n", found.get("Api.java"));
        assertTrue(all.contains("no @param for a") && all.contains("no @return"), all);
    }

    /**
     * Runs javadoc with {@code -Xdoclint:all} on module {@code module} whose sources are in
     * {@code sourceRoot}; returns the warnings and errors by file name, as "line: kind: message".
     */
    static Map<String, List<String>> lint(Path sourceRoot, String module, Path out) throws IOException {
        DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
        assertNotNull(javadoc, "no javadoc tool: run the tests with a JDK, not a JRE");
        Files.createDirectories(out);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter log = new StringWriter();
        List<String> options = List.of("-Xdoclint:all", "-quiet", "-d", out.toString(),
                "--module-source-path", module + "=" + sourceRoot.toAbsolutePath(), "--module", module);
        javadoc.getTask(log, null, diagnostics, null, options, null).call();
        Map<String, List<String>> byFile = new TreeMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE) {
                continue;
            }
            String file = d.getSource() == null ? "(no file)" : Path.of(d.getSource().getName()).getFileName().toString();
            byFile.computeIfAbsent(file, f -> new ArrayList<>()).add(d.getLineNumber() + ": "
                    + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT));
        }
        return byFile;
    }
}
