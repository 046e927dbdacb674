package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The conformance corpus file (format: model-check/CORPUS.md): traces of one caller's operations,
 * each line an operation with its injected faults and the outcome the abstract spec prescribes.
 */
public final class Corpus {

    /** The checked-in corpus, relative to the project directory. */
    public static final Path FILE = Path.of("model-check", "corpus", "corpus.txt");

    /** One line: an operation and its expected outcome. */
    public record Step(Op op, Outcome expected) {
        /** The corpus form: {@code op obj id faults : why result ctor dtors}. */
        @Override
        public String toString() {
            return op + " : " + expected;
        }
    }

    /** One trace: a name and the steps, run in order on a fresh, empty table. */
    public record Trace(String name, List<Step> steps) {
    }

    private Corpus() {
    }

    /** Parses one line ({@link Step#toString()} form). */
    public static Step parseStep(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length != 9 || !f[4].equals(":")) {
            throw new IllegalArgumentException("corpus line needs 9 fields 'op obj id faults : why result ctor dtors': " + line);
        }
        Op.Kind kind = Op.Kind.of(f[0]);
        String obj = f[1].equals("-") ? null : f[1];
        if (!f[2].startsWith("i")) {
            throw new IllegalArgumentException("id must be i<number>: " + line);
        }
        long id = Long.parseLong(f[2].substring(1));
        List<String> faults = f[3].equals("-") ? List.of() : Arrays.asList(f[3].split(","));
        for (String fault : faults) {
            if (!fault.equals("allocfail") && !fault.equals("ctorfail")) {
                throw new IllegalArgumentException("unknown fault " + fault + ": " + line);
            }
        }
        Op op = new Op(kind, obj, id, faults.contains("allocfail"), faults.contains("ctorfail"));
        List<String> dtors = f[8].equals("-") ? List.of() : Arrays.asList(f[8].split(","));
        return new Step(op, new Outcome(f[5], f[6], f[7], dtors));
    }

    /** Reads a corpus file: "#" comments, "trace NAME" starts a trace, each following non-blank line is a step. */
    public static List<Trace> read(Path file) throws IOException {
        List<Trace> traces = new ArrayList<>();
        String name = null;
        List<Step> steps = null;
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            try {
                if (line.startsWith("trace ")) {
                    if (name != null) {
                        traces.add(new Trace(name, List.copyOf(steps)));
                    }
                    name = line.substring(6).trim();
                    steps = new ArrayList<>();
                } else if (name == null) {
                    throw new IllegalArgumentException("step before the first 'trace' line");
                } else {
                    steps.add(parseStep(line));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        if (name != null) {
            traces.add(new Trace(name, List.copyOf(steps)));
        }
        return traces;
    }

    /** The corpus text: the header comment lines, then one block per trace separated by blank lines. */
    public static String write(List<String> header, List<Trace> traces) {
        StringBuilder sb = new StringBuilder();
        for (String h : header) {
            sb.append("# ").append(h).append('\n');
        }
        for (Trace t : traces) {
            sb.append('\n').append("trace ").append(t.name()).append('\n');
            for (Step s : t.steps()) {
                sb.append(s).append('\n');
            }
        }
        return sb.toString();
    }
}
