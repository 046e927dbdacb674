package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The list of models TLC must check, read from {@code model-check/manifest.tsv}.
 *
 * <p>Format (see model-check/README.md): tab-separated; lines starting with {@code #} and blank
 * lines are comments; the first other line is the header
 * {@code model module size expected violated distinct total depth description}; every further
 * line is one model. {@code -} means "not given" for violated and the three counts.
 *
 * <p>The manifest keeps every line as read, so that {@link #withCounts} can rewrite the counts of
 * some rows and leave comments and other rows byte for byte as they were.
 */
final class Manifest {

    /** The header line, with tabs between the column names. */
    static final String HEADER = "model\tmodule\tsize\texpected\tviolated\tdistinct\ttotal\tdepth\tdescription";

    /**
     * The sizes a model may have: "small" models run in the test job, "large" ones too in the main
     * job; "extra" models run only when named ({@code --model NAME}): too long for the main job's budget.
     */
    static final Set<String> SIZES = Set.of("small", "large", "extra");

    /** The outcomes a model may be expected to have (the names TLC's exit codes map to). */
    static final Set<String> EXPECTED = Set.of("success", "safety", "liveness", "deadlock");

    /**
     * One model. {@code violated}, {@code distinct}, {@code total} and {@code depth} are null when
     * the manifest says {@code -}; {@code lineIndex} is the row's index in {@link #lines}.
     */
    record Row(String model, String module, String size, String expected, String violated,
               Long distinct, Long total, Long depth, String description, int lineIndex) {}

    /** The file this manifest was read from. */
    final Path file;
    /** Every line of the file, comments included, in order. */
    final List<String> lines;
    /** The model rows, in file order. */
    final List<Row> rows;

    private Manifest(Path file, List<String> lines, List<Row> rows) {
        this.file = file;
        this.lines = lines;
        this.rows = rows;
    }

    /** Reads and checks a manifest; a malformed line is an error naming the file and line. */
    static Manifest read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Row> rows = new ArrayList<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            if (!headerSeen) {
                if (!line.strip().equals(HEADER)) {
                    throw new IllegalArgumentException(where + "expected the header line '"
                            + HEADER.replace('\t', ' ') + "' (tab-separated), found '" + line + "'");
                }
                headerSeen = true;
                continue;
            }
            String[] f = line.split("\t", 9);
            if (f.length < 8) {
                throw new IllegalArgumentException(where + "expected 9 tab-separated columns, found " + f.length);
            }
            String model = f[0].strip();
            String size = f[2].strip();
            String expected = f[3].strip();
            if (!SIZES.contains(size)) {
                throw new IllegalArgumentException(where + "size must be one of " + SIZES + ", found '" + size + "'");
            }
            if (!EXPECTED.contains(expected)) {
                throw new IllegalArgumentException(where + "expected must be one of " + EXPECTED + ", found '" + expected + "'");
            }
            for (Row r : rows) {
                if (r.model().equals(model)) {
                    throw new IllegalArgumentException(where + "model '" + model + "' is listed twice");
                }
            }
            rows.add(new Row(model, f[1].strip(), size, expected, dash(f[4]),
                    count(f[5], where + "distinct"), count(f[6], where + "total"), count(f[7], where + "depth"),
                    f.length > 8 ? f[8].strip() : "", i));
        }
        if (!headerSeen) {
            throw new IllegalArgumentException(file + ": no header line '" + HEADER.replace('\t', ' ') + "'");
        }
        return new Manifest(file, lines, rows);
    }

    /** Finds the row of a model, or null. */
    Row row(String model) {
        return rows.stream().filter(r -> r.model().equals(model)).findFirst().orElse(null);
    }

    /**
     * The manifest's text with the distinct/total/depth columns of one row replaced; every other
     * line and column is kept as it was. Null counts are written as {@code -}.
     */
    static List<String> withCounts(List<String> lines, Row row, Long distinct, Long total, Long depth) {
        List<String> out = new ArrayList<>(lines);
        String[] f = lines.get(row.lineIndex()).split("\t", -1);
        f[5] = str(distinct);
        f[6] = str(total);
        f[7] = str(depth);
        out.set(row.lineIndex(), String.join("\t", f));
        return out;
    }

    /** Writes lines back to a manifest file, one per line. */
    static void write(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    private static String str(Long n) {
        return n == null ? "-" : Long.toString(n);
    }

    private static String dash(String s) {
        String t = s.strip();
        return t.equals("-") || t.isEmpty() ? null : t;
    }

    private static Long count(String s, String what) {
        String t = s.strip();
        if (t.equals("-") || t.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a number or '-', found '" + t + "'");
        }
    }
}
