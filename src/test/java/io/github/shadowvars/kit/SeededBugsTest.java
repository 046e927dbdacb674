package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Every seeded-bug patch still applies to the source and compiles; a stale patch is reported. */
class SeededBugsTest {

    @Test
    void everyPatchAppliesAndCompiles() throws Exception {
        assertFalse(SeededBugs.names().isEmpty());
        for (String bug : SeededBugs.names()) {
            Path classes = SeededBugs.classes(bug);
            assertTrue(Files.exists(classes.resolve("io/github/shadowvars/ShadowVariables.class"))
                    || Files.exists(classes.resolve("io/github/shadowvars/Rcu.class"))
                    || Files.exists(classes.resolve("io/github/shadowvars/TableLock.class")), bug);
            assertTrue(SeededBugs.description(bug).startsWith("Seeded bug " + bug + ":"), bug);
        }
    }

    @Test
    void aPatchThatNoLongerAppliesIsReported() throws Exception {
        Path stale = Path.of("target", "stale.diff");
        Files.writeString(stale, String.join("\n",
                "Seeded bug STALE: a hunk whose context is not in the source.",
                "",
                "--- a/src/main/java/io/github/shadowvars/ShadowVariables.java",
                "+++ b/src/main/java/io/github/shadowvars/ShadowVariables.java",
                "@@ -1,3 +1,3 @@",
                " package io.github.shadowvars;",
                "-no such line in the source",
                "+a replacement",
                " ",
                ""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SeededBugs.compile("STALE", stale));
        assertTrue(e.getMessage().contains("no longer applies"), e.getMessage());
    }
}
