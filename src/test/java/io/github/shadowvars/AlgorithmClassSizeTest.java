package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the lines of the algorithm class, ShadowVariables.java, are (the figure of issue 15, "the
 * class, overview notes included, about 400 lines"), and a ceiling that keeps it from growing
 * unnoticed: the contract Javadoc of the public API (which ApiDocLintTest requires complete:
 * every parameter, return value and exception), then everything else: the algorithm, its
 * overview notes, the helpers' one-line comments, the trace points and the blank lines.
 */
class AlgorithmClassSizeTest {

    /**
     * Lines of ShadowVariables.java other than the public API's contract Javadoc, at most. 450
     * until issue 25, which added 24 (446 to 470): getOrAlloc's lockless pre-check as its
     * own small method with the allocation out of line (so that the JIT inlines the existing-key
     * path: one method header, Javadoc and call more), and the once-per-table sizing warning on
     * the writer path (its decision lives in Counters; the call and the message here); and 2
     * for part 1's bug fixes (470 to 472): the writers' check of the per-thread callback mark
     * (two tables must not deadlock each other) and the ERROR record built only when logged.
     * 518 since issue 23 (46 more): the 47 trace lines left the algorithm's lines for the
     * primitives at the end, as in the C check, where the shims report the events: each primitive
     * that reports one is now a small method of its own, with its begin and its event on lines of
     * their own (bench/run tracer deletes them: headAt, nextOf, hashAddRcu, hashDelRcu, spinLock,
     * spinUnlock, rcuReadLock, rcuReadUnlock, kzalloc, kfree, kfreeRcu, construct, destroy: 32
     * trace lines, 41 code lines more), each public operation records its call and its one return
     * point (the value it returns), the implementation notes say how (6 lines), and allocLocked
     * keeps the new data in a local (a load of entry.data after the unlock could see the poison).
     * 519 since the review of 2026-12-07 (1 more): the poison check (the KASAN stand-in) reports
     * its event before it throws, so that a trace shows the use after reclaim instead of a match.
     * 632 since issue 26 (113 more): weak keys. The expunge (klp_shadow_free_all's steps without
     * the destructor): the public expunge() (14 lines), its walk over the collector's queue
     * (expungeLocked, findStale, pollCollected: 32), the unlink without a destructor (expungeStruct,
     * 8), its call after each write's lock (3) and freeAll's entry whose object died under its lock
     * (6); the weak key itself: the WeakKey class and the two fields (7), the two public constructors
     * and the package-private one taking Keys (16), the match (klp_shadow_match, as a helper: a weak
     * entry's obj is its WeakKey) and the object and bucket of an entry (10), the implementation
     * notes (15), the obj passed to klp_shadow_free_struct (2).
     * 595 since issue 23's second step (36 fewer): the trace points left the class for
     * TracedShadowVariables, the sealed subclass that wraps the primitives (tracing off then costs
     * nothing, bench/run tracer); free, freeAll and expunge keep their steps in a method of their
     * own (klpShadowFree, klpShadowFreeAll, klpShadowExpunge: the subclass records the call and
     * return point around it, before the callbacks run).
     * 601 since then (6 more): allocLocked's assertion that a re-check that found the key does not
     * publish, and its note on why it stays out of line (its bytecode above C2's FreqInlineSize:
     * theSlowPathOfAllocStaysTooLargeToInline).
     */
    static final int CEILING = 601;

    record Lines(int total, int contractDoc, int helperDoc, int notes, int trace, int blank, int code) {
        int withoutContractDoc() {
            return total - contractDoc;
        }
    }

    /** Sorts each line of a Java source into one kind (a Javadoc block counts as the member after it). */
    static Lines count(List<String> lines) {
        int contractDoc = 0, helperDoc = 0, notes = 0, trace = 0, blank = 0, code = 0;
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.startsWith("/*")) {
                int end = i;
                while (!lines.get(end).contains("*/")) {
                    end++;
                }
                int block = end - i + 1;
                if (t.startsWith("/**")) {
                    int member = end + 1;
                    while (lines.get(member).strip().startsWith("@")) {
                        member++;
                    }
                    if (lines.get(member).strip().startsWith("public")) {
                        contractDoc += block;
                    } else {
                        helperDoc += block;
                    }
                } else {
                    notes += block;
                }
                i = end;
            } else if (t.isEmpty()) {
                blank++;
            } else if (t.startsWith("trace.")) {
                trace++;
            } else {
                code++;
            }
        }
        return new Lines(lines.size(), contractDoc, helperDoc, notes, trace, blank, code);
    }

    @Test
    void countsASmallSourceByKind() {
        Lines l = count(List.of("/** The contract. */", "@Deprecated", "public void f() {", "",
                "    /* a note", "       on two lines */", "    trace.begin();", "    /** helper */",
                "    private void g() {}", "}"));
        assertEquals(new Lines(10, 1, 1, 2, 1, 1, 4), l);
    }

    @Test
    void theAlgorithmClassStaysSmall() throws IOException {
        Path source = Path.of("src/main/java/io/github/shadowvars/ShadowVariables.java");
        Lines l = count(Files.readAllLines(source, StandardCharsets.UTF_8));
        String figures = String.format("ShadowVariables.java %d lines: %d contract Javadoc of the public API,"
                        + " %d other (code %d, overview notes %d, helper comments %d, trace points %d, blank %d)",
                l.total(), l.contractDoc(), l.withoutContractDoc(), l.code(), l.notes(), l.helperDoc(), l.trace(), l.blank());
        System.out.println(figures);
        CheckSummary.figures(getClass(), figures);
        assertTrue(l.withoutContractDoc() <= CEILING, "ShadowVariables.java grew: " + figures + "; ceiling " + CEILING);
        List<String> traced = Files.readAllLines(source, StandardCharsets.UTF_8).stream()
                .map(line -> line.contains("//") ? line.substring(0, line.indexOf("//")) : line)
                .filter(code -> !code.strip().startsWith("*") && !code.strip().startsWith("/*"))
                .filter(code -> java.util.regex.Pattern.compile("\\btrace\\b|Tracer").matcher(code).find()).toList();
        assertEquals(List.of(), traced, "ShadowVariables.java's code names a tracer (tracing belongs in TracedShadowVariables)");
    }

    /**
     * allocLocked, the slow path of alloc and getOrAlloc, must stay out of line: C2 inlines a hot
     * method of at most FreqInlineSize (325) bytes of bytecode. Inlined, it makes the compiled
     * klpShadowGetOrAlloc larger than InlineSmallCode, which then is not inlined into its callers,
     * and getOrAlloc of an existing key pays a call: 0.72 of the earlier code on 2026-12-08, when
     * allocLocked had shrunk to 320 bytes (BENCHMARKS.md, "Tracing off against the code before").
     */
    @Test
    void theSlowPathOfAllocStaysTooLargeToInline() {
        java.io.StringWriter out = new java.io.StringWriter();
        int rc = java.util.spi.ToolProvider.findFirst("javap").orElseThrow()
                .run(new java.io.PrintWriter(out), new java.io.PrintWriter(System.err),
                        "-c", "-p", "-cp", "target/classes", "io.github.shadowvars.ShadowVariables");
        assertEquals(0, rc, "javap failed");
        List<String> lines = out.toString().lines().toList();
        int start = -1;
        for (int i = 0; i < lines.size() && start < 0; i++) {
            start = lines.get(i).contains(" allocLocked(") ? i : -1;
        }
        assertTrue(start >= 0, "no allocLocked in ShadowVariables");
        int last = 0;
        for (int i = start + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s+(\\d+): ").matcher(lines.get(i));
            if (m.find()) {
                last = Integer.parseInt(m.group(1));
            }
        }
        System.out.println("allocLocked: its last instruction at bytecode offset " + last);
        assertTrue(last > 325, "allocLocked is " + last + "+ bytes of bytecode, at most C2's FreqInlineSize (325):"
                + " the JIT may inline it and then not inline klpShadowGetOrAlloc into its callers");
    }
}
