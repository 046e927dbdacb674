package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The kit's command: help, bad arguments, and a conformance check that fails on a seeded bug. */
class CheckTest {

    @Test
    void helpListsEveryCommand() throws Exception {
        String out = capture("--help");
        for (String command : new String[] {"models", "model", "cfg", "corpus", "properties", "traces", "races",
                "trace", "seeded-bugs", "kernel"}) {
            assertTrue(out.contains("\n  " + command + " "), command + " missing from --help");
        }
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        assertEquals(2, Check.run(new String[] {"no-such-command"}));
        assertEquals(2, Check.run(new String[] {"models"}));
        assertEquals(2, Check.run(new String[] {"corpus", "--frobnicate"}));
    }

    @Test
    void corpusReplayPassesOnTheReferenceAndOnAnIdenticalCopy() throws Exception {
        assertEquals(0, Check.run(new String[] {"corpus"}));
        Path copy = Path.of("target", "copy-of-ShadowVariables.java");
        Files.copy(Path.of("src/main/java/io/github/shadowvars/ShadowVariables.java"), copy,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(0, Check.run(new String[] {"corpus", "--source", copy.toString()}));
    }

    @Test
    void corpusReplayFailsOnASeededBugAndOnAChangedCopy() throws Exception {
        assertEquals(1, Check.run(new String[] {"corpus", "--seeded-bug", "FREEALL_SKIPS_DTOR"}));
        Path copy = Path.of("target", "changed-ShadowVariables.java");
        String source = Files.readString(Path.of("src/main/java/io/github/shadowvars/ShadowVariables.java"));
        String changed = source.replace("klpShadowFreeStruct(e, o, dtor)); // (a)-(c)", "klpShadowFreeStruct(e, o, null)); // (a)-(c)");
        assertTrue(!changed.equals(source));
        Files.writeString(copy, changed);
        assertEquals(1, Check.run(new String[] {"corpus", "--source", copy.toString()}));
    }

    @Test
    void traceAcceptsAnAllocAndRejectsAWrongReturn() throws Exception {
        String good = String.join("\n", "trace alloc-1", "1 t1 Call op=alloc obj=o1 id=1", "2 t1 g_lock e=0",
                "3 t1 g_unlock e=0", "4 t1 a_alloc e=1 o=ok", "5 t1 a_lock", "6 t1 a_recheck e=0", "7 t1 a_ctor e=1 o=ok",
                "8 t1 a_publish e=1", "9 t1 a_unlock res=1 why=new", "end", "");
        Path file = Path.of("target", "check-trace-good.txt");
        Files.writeString(file, good);
        assertEquals(0, Check.run(new String[] {"trace", file.toString(), "target/check-trace-good"}));
        Path bad = Path.of("target", "check-trace-bad.txt");
        Files.writeString(bad, good.replace("why=new", "why=exists"));   // a new variable reported as found
        assertEquals(1, Check.run(new String[] {"trace", bad.toString(), "target/check-trace-bad"}));
        assertEquals(2, Check.run(new String[] {"trace"}));
    }

    /** corpus FILE: a port's replay output compared with the corpus, the Java table's passing, a seeded bug's failing. */
    @Test
    void corpusComparesAReplayOutput() throws Exception {
        Path java = io.github.shadowvars.model.CorpusReplayOutput.write(Corpus.FILE, Path.of("target", "corpus-replay-java.txt"),
                null);
        assertEquals(0, Check.run(new String[] {"corpus", java.toString()}));
        Path bug = io.github.shadowvars.model.CorpusReplayOutput.write(Corpus.FILE,
                Path.of("target", "corpus-replay-ALLOC_RETURNS_EXISTING.txt"), "ALLOC_RETURNS_EXISTING");
        String out = captureExit(1, "corpus", bug.toString());
        assertTrue(out.contains("corpus: FAIL trace ") && out.contains("expected dup - - -, observed exists d1 - -"), out);
        Path empty = Path.of("target", "corpus-replay-empty.txt");
        Files.writeString(empty, "# nothing replayed\n");
        assertEquals(2, Check.run(new String[] {"corpus", empty.toString()}));
        assertEquals(2, Check.run(new String[] {"corpus", "target/no-such-replay.txt"}));
    }

    private static String capture(String... args) throws Exception {
        return captureExit(0, args);
    }

    private static String captureExit(int exit, String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(exit, Check.run(args));
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
