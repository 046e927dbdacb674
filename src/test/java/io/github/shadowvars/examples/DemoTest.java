package io.github.shadowvars.examples;

import io.github.shadowvars.Stats;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Runs the demo so that it never rots, and checks the counts it reports. */
class DemoTest {

    @Test
    void demoRunsAndReportsItsCounts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("check: Dummy(expire=3000) counter = 2"), out);
        assertTrue(out.contains("free: Dummy(expire=1000) -> leak released: true, get now returns null"), out);
        assertTrue(out.contains("freeAll: leak buffers released = 3 of 3"), out);
        assertTrue(out.contains("counters: Stats[allocated=6, published=6, dropped=0, unlinked=6, reclaimed=6,"
                + " poisonedReads=0, expunged=0]"), out);
    }

    @Test
    void mainPrintsToStandardOutput() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            Demo.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("reclaimed=6"));
    }
}
