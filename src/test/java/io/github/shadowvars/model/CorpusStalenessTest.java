package io.github.shadowvars.model;

import io.github.shadowvars.kit.CorpusGenerator;
import io.github.shadowvars.kit.Op;
import io.github.shadowvars.kit.Outcome;
import io.github.shadowvars.kit.Corpus;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checked-in corpus must be exactly what the spec generates now: regenerates it (TLC in its own
 * JVMs, a few seconds) and compares. With -Dshadowvars.regenerateCorpus=true it writes the file
 * instead.
 */
class CorpusStalenessTest {

    @Test
    void corpusIsWhatTheSpecGenerates(@TempDir Path work) throws Exception {
        assumeTrue(Files.exists(Path.of("spec", "ShadowAtomic.tla")) || System.getProperty("shadowvars.tlaLibrary") != null,
                "spec/ShadowAtomic.tla is not in this checkout (set shadowvars.tlaLibrary to a directory holding it)");
        long start = System.nanoTime();
        String generated = CorpusGenerator.generate(Path.of(""), work);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (Boolean.getBoolean("shadowvars.regenerateCorpus")) {
            Files.writeString(Corpus.FILE, generated);
            System.out.println("[corpus] regenerated " + Corpus.FILE + " in " + millis + " ms");
            return;
        }
        System.out.println("[corpus] regenerated from the spec in " + millis + " ms, comparing with " + Corpus.FILE);
        String checkedIn = Files.readString(Corpus.FILE);
        if (!checkedIn.equals(generated)) {
            fail(Corpus.FILE + " is stale: regenerate it (see model-check/CORPUS.md) and review the difference; "
                    + firstDifference(checkedIn, generated));
        }
    }

    /** Where two texts first differ, by line. */
    static String firstDifference(String checkedIn, String generated) {
        String[] a = checkedIn.split("\n", -1);
        String[] b = generated.split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                return "first difference at line " + (i + 1) + ": checked in '" + a[i] + "', generated '" + b[i] + "'";
            }
        }
        return "checked in " + a.length + " lines, generated " + b.length;
    }
}
