package io.github.shadowvars.model;

import io.github.shadowvars.kit.Op;
import io.github.shadowvars.kit.Outcome;
import io.github.shadowvars.kit.Corpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.shadowvars.Flavour;

/**
 * Replays the conformance corpus (model-check/corpus/corpus.txt, generated from the abstract spec)
 * on the Java table: every operation of every trace must have exactly the outcome the spec
 * prescribes, and each trace ends with the RCU-barrier checks of {@link SequentialRun#finish()}.
 * The real table is replayed in both flavours ({@link Flavour}); the seeded bugs wrap the checked one.
 */
class CorpusReplayTest {

    private static List<Corpus.Trace> traces;

    @BeforeAll
    static void readCorpus() throws IOException {
        traces = Corpus.read(Corpus.FILE);
    }

    /** Replays one trace on a fresh table; returns null if it conforms, else what went wrong where. */
    static String replay(Corpus.Trace trace, TableUnderTest.Factory factory, int bucketBits) {
        SequentialRun run = new SequentialRun(factory, bucketBits);
        int line = 0;
        try {
            for (Corpus.Step step : trace.steps()) {
                line++;
                run.expect(step.op(), step.expected());
            }
            run.finish();
            return null;
        } catch (AssertionError | RuntimeException e) {
            return "trace " + trace.name() + " line " + line + ": " + e;
        }
    }

    /**
     * In one bucket (every key collides) and in the default 4096 buckets, on each flavour. On GC
     * the end-of-trace "reclaimed = unlinked, no poisoned read" cannot fail (see {@link Flavour}).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void realTableReplaysEveryTrace(Flavour flavour) {
        replayEveryTrace(flavour.toString(), TableUnderTest.real(flavour), flavour);
    }

    /**
     * Weak keys with no deaths: a weak table (each flavour) replays every trace as the strong one,
     * in one bucket and in 4096 (a live object's variables behave as in the strong table).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void weakTableReplaysEveryTrace(Flavour flavour) {
        replayEveryTrace("weak keys, " + flavour, TableUnderTest.realWeak(flavour), flavour);
    }

    /** Every trace on tables from factory, with 1 and 4096 buckets; fails at the first nonconforming step. */
    private void replayEveryTrace(String table, TableUnderTest.Factory factory, Flavour flavour) {
        long steps = 0;
        for (int bucketBits : new int[] {0, 12}) {
            for (Corpus.Trace t : traces) {
                String failure = replay(t, factory, bucketBits);
                if (failure != null) {
                    fail(table + ", bucketBits " + bucketBits + ": " + failure);
                }
                steps += t.steps().size();
            }
        }
        System.out.println("[corpus] " + table + ": replayed " + traces.size() + " traces x 2 table sizes, " + steps
                + " steps: all conform");
        io.github.shadowvars.CheckSummary.figures(getClass(), table + ": " + traces.size()
                + " spec traces x 2 table sizes, " + steps + " steps replayed" + flavour.notCounted());
    }

    /** The jqwik checks' sequential model gives every outcome TLC generated from the spec. */
    @Test
    void sequentialModelAgreesWithTheSpec() {
        for (Corpus.Trace t : traces) {
            SequentialModel model = new SequentialModel();
            int line = 0;
            for (Corpus.Step step : t.steps()) {
                line++;
                assertEquals(step.expected(), model.apply(step.op()), "trace " + t.name() + " line " + line + ": " + step.op());
            }
        }
    }

    /** The replay catches every seeded bug (and says on which trace first). */
    @Test
    void replayCatchesEverySeededBug() {
        for (SeededBug bug : SeededBug.values()) {
            String caught = null;
            int tried = 0;
            for (Corpus.Trace t : traces) {
                tried++;
                caught = replay(t, bug, 0);
                if (caught != null) {
                    break;
                }
            }
            assertNotNull(caught, bug + " passed all " + traces.size() + " traces");
            System.out.println("[corpus] seeded bug " + bug + " caught at trace " + tried + ": " + caught);
        }
    }

    /** The corpus reaches every outcome of every operation, and freeAll destroying two variables at once. */
    @Test
    void corpusReachesEveryOutcome() {
        Set<String> seen = new TreeSet<>();
        boolean freeAllOfTwo = false;
        for (Corpus.Trace t : traces) {
            for (Corpus.Step s : t.steps()) {
                seen.add(s.op().kind().label + "/" + s.expected().why());
                freeAllOfTwo |= s.op().kind() == Op.Kind.FREE_ALL && s.expected().dtors().size() >= 2;
            }
        }
        assertEquals(new TreeSet<>(List.of("get/value", "alloc/new", "alloc/dup", "alloc/allocFail", "alloc/ctorFail",
                "getOrAlloc/new", "getOrAlloc/exists", "getOrAlloc/allocFail", "getOrAlloc/ctorFail", "free/done",
                "freeAll/done")), seen);
        assertFalse(!freeAllOfTwo, "no freeAll with two destructor calls");
    }
}
