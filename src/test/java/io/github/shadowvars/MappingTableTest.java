package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps README's "C step ↔ spec label ↔ Java line" table true: every spec label it names is a
 * label of spec/Shadow.tla or of the weak table's spec/ShadowWeak.tla (an action's name, or a pc
 * value its steps test) and a row of model-check/labels.tsv, every Java text it quotes occurs
 * in the named source file, and every label of labels.tsv that is a step of spec/Shadow.tla appears
 * in the table (no step left out; labels of the seeded-bug and contract variants need not).
 */
class MappingTableTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    /** Program-counter values that are not C steps. */
    private static final Set<String> NOT_STEPS = Set.of("idle", "Call");

    /** One row of the table: its spec labels, Java file and quoted Java text. */
    record Row(List<String> labels, String javaFile, String javaText, String line) {}

    static List<Row> readTable(List<String> readme) {
        List<Row> rows = new ArrayList<>();
        boolean inside = false;
        for (String line : readme) {
            if (line.startsWith("<!-- mapping table")) {
                inside = true;
            } else if (line.startsWith("<!-- end of mapping table")) {
                inside = false;
            } else if (inside && line.startsWith("| ") && !line.startsWith("| C (")) {
                String[] cells = line.split("\\|");
                // cells[0] is empty (text before the first '|'); then C, spec, Java file, Java text.
                List<String> labels = new ArrayList<>();
                Matcher m = CODE.matcher(cells[2]);
                while (m.find()) {
                    labels.add(m.group(1));
                }
                rows.add(new Row(labels, unquote(cells[3]), unquote(cells[4]), line));
            }
        }
        return rows;
    }

    private static String unquote(String cell) {
        Matcher m = CODE.matcher(cell);
        return m.find() ? m.group(1) : cell.strip();
    }

    @Test
    void everyRowPointsAtARealSpecLabelAndARealJavaLine() throws IOException {
        List<Row> rows = readTable(Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8));
        assertTrue(rows.size() >= 20, "README's mapping table has only " + rows.size() + " rows");
        String spec = Files.readString(ROOT.resolve("spec/Shadow.tla"));
        String weak = Files.readString(ROOT.resolve("spec/ShadowWeak.tla"));
        Set<String> labels = labelsTsv();
        Set<String> covered = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (Row row : rows) {
            assertTrue(!row.labels().isEmpty(), "no spec label in: " + row.line());
            for (String label : row.labels()) {
                covered.add(label);
                if (!isLabel(spec, label) && !isLabel(weak, label)) {
                    problems.add("neither spec/Shadow.tla nor spec/ShadowWeak.tla has a label " + label
                            + " (row: " + row.line() + ")");
                }
                if (!labels.contains(label)) {
                    problems.add("model-check/labels.tsv has no label " + label);
                }
            }
            Path java = ROOT.resolve("src/main/java/io/github/shadowvars").resolve(row.javaFile());
            if (!Files.exists(java) || !Files.readString(java).contains(row.javaText())) {
                problems.add(row.javaFile() + " has no line with \"" + row.javaText() + "\"");
            }
        }
        for (String label : labels) {
            boolean algorithmStep = isLabel(spec, label);
            if (algorithmStep && !NOT_STEPS.contains(label) && !covered.contains(label)) {
                problems.add("label " + label + " of model-check/labels.tsv is missing from README's table");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckFailsOnAStaleRow() throws IOException {
        List<Row> rows = readTable(List.of(
                "<!-- mapping table -->",
                "| `x` | `a_lock` | `ShadowVariables.java` | `(99) no such step` |",
                "<!-- end of mapping table -->"));
        assertEquals(1, rows.size());
        String source = Files.readString(ROOT.resolve("src/main/java/io/github/shadowvars/ShadowVariables.java"));
        assertTrue(!source.contains(rows.get(0).javaText()), "a made-up Java text must not be found");
        assertEquals(List.of("a_lock"), rows.get(0).labels());
    }

    /**
     * label is a label of spec/Shadow.tla: an action of that name, or a pc value of a step written
     * for several labels (klp_shadow_free_struct's steps carry the labels of free and freeAll).
     */
    static boolean isLabel(String spec, String label) {
        return spec.contains(label + "(p) ==") || spec.contains(label + " ==") || spec.contains("\"" + label + "\"");
    }

    private static Set<String> labelsTsv() throws IOException {
        Set<String> labels = new LinkedHashSet<>();
        for (String line : Files.readAllLines(ROOT.resolve("model-check/labels.tsv"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("label\t") && !line.startsWith("#")) {
                labels.add(line.split("\t")[0].strip());
            }
        }
        return labels;
    }
}
