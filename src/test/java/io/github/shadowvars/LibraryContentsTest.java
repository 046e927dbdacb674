package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the library jar holds: target/classes, which the jar plugin packages as it is. Only what a
 * user of the library needs: no seeded bug, recorder or example (those live in the test tree).
 * One test seam ships, package-private and never loaded by a user's program: Tracer and
 * TracedShadowVariables, the sealed class's subclass whose primitives report events to the
 * test tree's recorders. A new top-level class in src/main must be added here on purpose.
 */
class LibraryContentsTest {

    /** The top-level types of the library (nested and anonymous classes belong to them). */
    static final Set<String> LIBRARY = Set.of("module-info", "ShadowVariables", "Rcu", "RcuCallbacks", "RcuReaders",
            "RcuStallWarnings", "Stats", "Counters",
            "Constructor", "Destructor", "AllocationFaults", "FaultInjection", "Failures", "Tracer", "TracedShadowVariables",
            "UseAfterReclaimError", "UserCode", "TableLock", "Keys");

    @Test
    void theJarHoldsTheLibraryOnly() throws IOException {
        Path root = Path.of("target", "classes");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".class")).forEach(f -> {
                String name = root.relativize(f).toString().replace('\\', '/');
                found.add(name.substring(0, name.length() - ".class".length()));
            });
        }
        Set<String> topLevel = new TreeSet<>();
        for (String name : found) {
            String simple = name.substring(name.lastIndexOf('/') + 1);
            String outer = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
            assertTrue(name.equals("module-info") || name.startsWith("io/github/shadowvars/")
                    && !name.substring("io/github/shadowvars/".length()).contains("/"),
                    "a class outside the library package: " + name);
            topLevel.add(outer);
            for (String word : new String[] {"Test", "Demo", "Seeded", "Recorder", "Hook", "Example"}) {
                assertTrue(!simple.contains(word), "a test-only class in the library: " + name);
            }
        }
        System.out.println("library classes (" + found.size() + "): " + found);
        assertEquals(new TreeSet<>(LIBRARY), topLevel, "the library's top-level types");
    }
}
