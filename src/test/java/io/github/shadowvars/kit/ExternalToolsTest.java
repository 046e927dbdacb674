package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A check whose program is missing is skipped with one SKIPPED line, or fails on CI. */
class ExternalToolsTest {

    static final String MISSING = "shadowvars-no-such-program";

    @Test
    void aMissingProgramSkipsWithOneLineOffCiAndFailsOnCi() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        assertThrows(TestAbortedException.class,
                () -> ExternalTools.require(false, print, "the check", "apt-get install -y it", "java", MISSING));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of("SKIPPED: the check needs java and " + MISSING + " (missing: " + MISSING
                + "); install: apt-get install -y it"), lines);

        AssertionFailedError onCi = assertThrows(AssertionFailedError.class,
                () -> ExternalTools.require(true, print, "the check", "apt-get install -y it", MISSING));
        assertTrue(onCi.getMessage().contains("on CI every check runs"), onCi.getMessage());
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count(), "no SKIPPED line on CI");

        ExternalTools.require(false, print, "the check", "-", "java"); // present: nothing happens
        assertEquals(1, out.toString(StandardCharsets.UTF_8).lines().count());
    }
}
