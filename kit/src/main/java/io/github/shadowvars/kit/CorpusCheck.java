package io.github.shadowvars.kit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a port's replay output with the conformance corpus (model-check/CORPUS.md, "A port's
 * replay output"): the same traces, the same operations in the same order, and on every line the
 * outcome the port observed equal to the one the spec prescribes (destructor calls compared as a
 * set). The port writes what its code returned; this class only compares.
 */
public final class CorpusCheck {

    /** How many differences are printed; the counts cover them all. */
    static final int SHOWN = 20;

    /** What the comparison found: counts, and one sentence per difference (trace, line, expected, observed). */
    public record Report(int traces, int ops, List<String> differences, List<String> missing, List<String> extra) {
        public boolean ok() {
            return differences.isEmpty() && missing.isEmpty() && extra.isEmpty();
        }
    }

    private CorpusCheck() {
    }

    /** Compares {@code observed} (the port's output) with {@code corpus}, trace by trace and line by line. */
    public static Report compare(List<Corpus.Trace> corpus, List<Corpus.Trace> observed) {
        Map<String, Corpus.Trace> byName = new LinkedHashMap<>();
        for (Corpus.Trace t : observed) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("trace " + t.name() + " appears twice in the replay output");
            }
        }
        List<String> differences = new ArrayList<>();
        int ops = 0;
        List<String> missing = new ArrayList<>();
        for (Corpus.Trace want : corpus) {
            Corpus.Trace got = byName.remove(want.name());
            if (got == null) {
                missing.add(want.name());
                continue;
            }
            List<Corpus.Step> w = want.steps(), g = got.steps();
            for (int k = 0; k < Math.max(w.size(), g.size()); k++) {
                String where = "trace " + want.name() + " line " + (k + 1) + ": ";
                if (k >= g.size()) {
                    differences.add(where + "missing; expected " + w.get(k));
                } else if (k >= w.size()) {
                    differences.add(where + "not in the corpus: " + g.get(k));
                } else if (!w.get(k).op().equals(g.get(k).op())) {
                    differences.add(where + "another operation: expected " + w.get(k).op() + ", got " + g.get(k).op());
                    break; // the rest of this trace no longer lines up
                } else {
                    ops++;
                    if (!w.get(k).expected().equals(g.get(k).expected())) {
                        differences.add(where + w.get(k).op() + ": expected " + w.get(k).expected() + ", observed "
                                + g.get(k).expected());
                    }
                }
            }
        }
        return new Report(corpus.size() - missing.size(), ops, differences, missing, List.copyOf(byName.keySet()));
    }

    /**
     * Reads both files, compares, prints the differences (the first {@value #SHOWN}) and one count line.
     * Returns 0 when every trace of the corpus was replayed with its outcomes, 1 when not, 2 when a
     * file cannot be read or the replay output holds no trace.
     */
    public static int run(Path corpusFile, Path observedFile, PrintStream out) throws IOException {
        List<Corpus.Trace> corpus, observed;
        try {
            corpus = Corpus.read(corpusFile);
            observed = Corpus.read(observedFile);
            if (observed.isEmpty()) {
                throw new IllegalArgumentException(observedFile + ": no trace in the file (an empty replay checks nothing)");
            }
        } catch (IllegalArgumentException e) {
            out.println("corpus: ERROR: " + e.getMessage());
            return 2;
        } catch (java.nio.file.NoSuchFileException | java.nio.charset.MalformedInputException e) {
            out.println("corpus: ERROR: a file cannot be read (" + e + ")");
            return 2;
        }
        Report r;
        try {
            r = compare(corpus, observed);
        } catch (IllegalArgumentException e) {
            out.println("corpus: ERROR: " + observedFile + ": " + e.getMessage());
            return 2;
        }
        r.differences().stream().limit(SHOWN).forEach(d -> out.println("corpus: FAIL " + d));
        if (r.differences().size() > SHOWN) {
            out.println("corpus: ... " + (r.differences().size() - SHOWN) + " more differences");
        }
        if (!r.missing().isEmpty()) {
            out.println("corpus: FAIL not in the replay output: " + names(r.missing()));
        }
        if (!r.extra().isEmpty()) {
            out.println("corpus: FAIL not in the corpus: " + names(r.extra()));
        }
        out.println("corpus: traces=" + r.traces() + " ops=" + r.ops() + " differences=" + r.differences().size()
                + " missing=" + r.missing().size() + " extra=" + r.extra().size() + " (of " + corpus.size() + " traces in "
                + corpusFile.getFileName() + ") " + (r.ok() ? "PASS" : "FAIL"));
        return r.ok() ? 0 : 1;
    }

    /** The first {@value #SHOWN} names, and how many more. */
    private static String names(List<String> all) {
        return String.join(", ", all.subList(0, Math.min(SHOWN, all.size())))
                + (all.size() > SHOWN ? " and " + (all.size() - SHOWN) + " more" : "");
    }
}
