package io.github.shadowvars.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Runs the weak demo with the real collector, so that it never rots: the dropped object's entry is
 * expunged and its data collected; the kept object keeps its data. The only timing is the demo's
 * guard (60 s), which turns a hang into a failure.
 */
class WeakDemoTest {

    @Test
    void theDroppedObjectsDataIsGoneAfterACollection() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int collections = WeakDemo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(out);
        System.out.println("WeakDemoTest: the data was gone after " + collections + " System.gc() calls");
        assertTrue(collections >= 1, out);
        assertTrue(out.contains("collected: the dropped request's entry expunged (1 entry, no destructor call)"), out);
        assertTrue(out.contains("get: Request(/kept) still has its timing: true"), out);
    }

    @Test
    void mainPrintsToStandardOutput() {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            WeakDemo.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("still has its timing: true"));
    }
}
