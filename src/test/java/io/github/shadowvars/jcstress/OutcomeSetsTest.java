package io.github.shadowvars.jcstress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;

import io.github.shadowvars.kit.RaceOutcomeGenerator;

/**
 * The jcstress harnesses' accept sets come from the spec: for every harness, its ACCEPTABLE
 * {@code @Outcome} ids (read by reflection) must be exactly the outcome ids TLC reaches in the
 * harness's race model, as generated into src/test/resources/jcstress-outcomes/&lt;Harness&gt;.txt by
 * {@link RaceOutcomeGenerator}; and those files must be what the spec generates now (the staleness
 * check regenerates them: 18 TLC runs, about 30 s). With
 * {@code -Dshadowvars.regenerateOutcomes=true} the staleness check writes the files instead.
 *
 * <p>Shown to fail: an accept set with one outcome too many or too few is reported; and a seeded
 * bug of the spec (Shadow's Bug constant) makes the race model reach an outcome the harness forbids.
 */
class OutcomeSetsTest {

    /** The ACCEPTABLE outcome ids of a harness class ({@code @Outcome}, repeatable). */
    static SortedSet<String> acceptable(Class<?> harness) {
        SortedSet<String> ids = new TreeSet<>();
        for (Outcome o : harness.getAnnotationsByType(Outcome.class)) {
            if (o.expect() == ACCEPTABLE) {
                ids.addAll(List.of(o.id()));
            }
        }
        return ids;
    }

    /** The outcome ids in the generated file of a harness. */
    static SortedSet<String> generated(String harness) throws IOException {
        return RaceOutcomeGenerator.parse(Files.readString(RaceOutcomeGenerator.OUTCOMES_DIR.resolve(harness + ".txt")));
    }

    /**
     * What separates a harness's accept set from the spec's outcomes: empty if they are equal,
     * otherwise one line per outcome the harness accepts but the spec never reaches, and per
     * outcome the spec reaches but the harness does not accept.
     */
    static List<String> differences(String harness, Set<String> acceptable, Set<String> spec) {
        List<String> diffs = new ArrayList<>();
        for (String id : acceptable) {
            if (!spec.contains(id)) {
                diffs.add(harness + ": ACCEPTABLE \"" + id + "\" is not reachable in the spec's race model");
            }
        }
        for (String id : spec) {
            if (!acceptable.contains(id)) {
                diffs.add(harness + ": the spec reaches \"" + id + "\", which the harness does not accept");
            }
        }
        return diffs;
    }

    @TestFactory
    Stream<DynamicTest> acceptSetsAreTheSpecsOutcomes() {
        return RaceOutcomeGenerator.harnesses().stream().map(h -> DynamicTest.dynamicTest(h, () -> {
            Class<?> harness = Class.forName(OutcomeSetsTest.class.getPackageName() + "." + h);
            SortedSet<String> spec = generated(h);
            assertTrue(!spec.isEmpty(), h + ": empty outcome file");
            List<String> diffs = differences(h, acceptable(harness), spec);
            assertTrue(diffs.isEmpty(), String.join("\n", diffs));
        }));
    }

    /** Every jcstress harness of this package has a race model, and every race model a harness. */
    @Test
    void everyHarnessHasARaceModel() throws IOException, URISyntaxException, ClassNotFoundException {
        Path dir = Path.of(OutcomeSetsTest.class.getResource("OutcomeSetsTest.class").toURI()).getParent();
        SortedSet<String> harnesses = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".class") && !name.contains("$")) {
                    Class<?> c = Class.forName(OutcomeSetsTest.class.getPackageName() + "." + name.replace(".class", ""));
                    if (c.isAnnotationPresent(JCStressTest.class)) {
                        harnesses.add(c.getSimpleName());
                    }
                }
            }
        }
        assertEquals(18, harnesses.size(), "harnesses found: " + harnesses);
        assertEquals(harnesses, new TreeSet<>(RaceOutcomeGenerator.harnesses()));
    }

    /** The outcome files are what the spec generates now (or, with regenerateOutcomes, written). */
    @Test
    void outcomeFilesAreWhatTheSpecGenerates(@TempDir Path work) throws Exception {
        boolean write = Boolean.getBoolean("shadowvars.regenerateOutcomes");
        List<String> stale = new ArrayList<>();
        long total = System.nanoTime();
        for (String h : RaceOutcomeGenerator.harnesses()) {
            long start = System.nanoTime();
            String text = RaceOutcomeGenerator.generate(Path.of(""), work, h);
            Path file = RaceOutcomeGenerator.OUTCOMES_DIR.resolve(h + ".txt");
            System.out.printf("[outcomes] %s: %s (%d ms)%n", h, RaceOutcomeGenerator.parse(text), (System.nanoTime() - start) / 1_000_000);
            if (write) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, text);
            } else if (!Files.exists(file) || !Files.readString(file).equals(text)) {
                stale.add(file + " (generated now: " + RaceOutcomeGenerator.parse(text) + ")");
            }
        }
        System.out.printf("[outcomes] %d race models %s in %d ms%n", RaceOutcomeGenerator.harnesses().size(),
                write ? "regenerated" : "checked", (System.nanoTime() - total) / 1_000_000);
        if (!stale.isEmpty()) {
            fail("stale outcome files (regenerate with -Dshadowvars.regenerateOutcomes=true and review):\n"
                    + String.join("\n", stale));
        }
    }

    /** AllocAlloc's accept set with one outcome too many (a ctor run twice). */
    @Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "as AllocAlloc")
    @Outcome(id = "0, 1, 1, 2", expect = ACCEPTABLE, desc = "as AllocAlloc")
    @Outcome(id = "1, 0, 2, 1", expect = ACCEPTABLE, desc = "wrongly accepted")
    static final class AllocAllocOneTooMany {
    }

    /** AllocAlloc's accept set with one outcome missing. */
    @Outcome(id = "1, 0, 1, 1", expect = ACCEPTABLE, desc = "as AllocAlloc")
    @Outcome(id = "0, 1, 1, 2", expect = FORBIDDEN, desc = "wrongly forbidden")
    static final class AllocAllocOneMissing {
    }

    /** The comparison fails, naming the outcome, when an accept set has one outcome too many or too few. */
    @Test
    void comparisonFailsOnAnExtraOrMissingOutcome() throws IOException {
        SortedSet<String> spec = generated("AllocAlloc");
        assertEquals(List.of(), differences("AllocAlloc", acceptable(AllocAlloc.class), spec));

        List<String> tooMany = differences("AllocAlloc", acceptable(AllocAllocOneTooMany.class), spec);
        assertEquals(1, tooMany.size(), tooMany.toString());
        assertTrue(tooMany.get(0).contains("\"1, 0, 2, 1\" is not reachable"), tooMany.get(0));

        List<String> missing = differences("AllocAlloc", acceptable(AllocAllocOneMissing.class), spec);
        assertEquals(1, missing.size(), missing.toString());
        assertTrue(missing.get(0).contains("reaches \"0, 1, 1, 2\""), missing.get(0));
    }

    /**
     * The race models tell a broken algorithm from the real one: with a seeded bug of the spec,
     * TLC reaches outcomes the harness forbids (the very outcomes the Java seeded bugs show in
     * jcstress, see README.md). Harness -> (spec mutant of spec/ShadowMutants.tla, or of
     * spec/ShadowWeakMutants.tla for a weak race, an outcome it must reach).
     */
    @Test
    void seededSpecBugsReachForbiddenOutcomes(@TempDir Path work) throws Exception {
        Map<String, String[]> cases = new TreeMap<>(Map.of(
                "AllocAlloc", new String[] {"NoRecheck", "1, 1, 2, 2"},
                "GetAlloc", new String[] {"PublishBeforeCtor", "2, 1"},
                "GetFree", new String[] {"PlainFree", "2, 1, 0"},
                "FreeFree", new String[] {"FreeWithoutLock", "1, 1, 0"},
                "SameBucketAllocFree", new String[] {"DelClearsNext", "0, 1, 1, 5, 1"},
                // weak keys: mutants of spec/ShadowWeakMutants.tla
                "GetCollectExpunge", new String[] {"ExpungeDropsLive", "1, 1, 2, 2"},
                "FreeAllExpunge", new String[] {"FreeAllDtorOnDead", "1, 1, 0, 0"}));
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String harness = c.getKey();
            String bug = c.getValue()[0];
            SortedSet<String> withBug = RaceOutcomeGenerator.outcomesWithBug(Path.of(""), work, harness, bug);
            System.out.printf("[outcomes] %s with spec bug %s: %s%n", harness, bug, withBug);
            assertTrue(withBug.contains(c.getValue()[1]), harness + " with " + bug + ": " + withBug);
            Class<?> h = Class.forName(OutcomeSetsTest.class.getPackageName() + "." + harness);
            assertTrue(!differences(harness, acceptable(h), withBug).isEmpty(), harness + " with " + bug);
        }
    }
}
