package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.shadowvars.model.CorpusReplayOutput;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The kit as a porter gets it: builds the kit jar ({@code mvn -f kit/pom.xml package}, the module
 * of its own), copies it alone to a directory outside the repository, and runs it there with an
 * empty {@code HOME} (no Maven repository): its help, the trace check of the regression set (each
 * verdict counted as the set's {@code # expect} lines say), the corpus comparison of the Java
 * table's replay output and of a seeded bug's, one model, and a bad command. Nothing may be
 * written to {@code HOME}.
 */
class KitJarTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void theKitJarChecksTracesCorpusAndModelsWithAnEmptyHome() throws Exception {
        ExternalTools.require("the kit jar's test (it builds kit/pom.xml)", "apt-get install -y maven", "mvn");
        Path jar = buildJar();
        Path porter = Files.createTempDirectory("shadowvars-porter");
        Path home = Files.createDirectories(porter.resolve("home"));
        Path copy = Files.copy(jar, porter.resolve(jar.getFileName()));
        // HOME, and user.home for this JVM and every JVM it starts (Java reads user.home from the
        // password database, not from HOME): no Maven repository, nothing of this machine's
        Map<String, String> env = Map.of("HOME", home.toString(), "JAVA_TOOL_OPTIONS", "-Duser.home=" + home);

        ExternalTools.Run help = kit(porter, env, copy, "--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.output().contains("trace FILE") && help.output().contains("corpus FILE")
                && help.output().contains("model NAME"), help.output());

        Path traces = Files.copy(ROOT.resolve("model-check/trace-regression/regression.txt"), porter.resolve("traces.txt"));
        ExternalTools.Run trace = kit(porter, env, copy, "trace", "traces.txt");
        System.out.println("[kit jar] trace: " + lastLine(trace.output()));
        assertEquals(1, trace.exitCode(), trace.output()); // the set holds traces that must not be accepted
        assertTrue(trace.output().contains(expectedCounts(traces)), "expected " + expectedCounts(traces) + " in:\n"
                + trace.output());
        ExternalTools.Run noFile = kit(porter, env, copy, "trace", "no-such-file.txt");
        assertEquals(2, noFile.exitCode(), noFile.output());

        Path java = CorpusReplayOutput.write(ROOT.resolve(Corpus.FILE), porter.resolve("java-replay.txt"), null);
        ExternalTools.Run good = kit(porter, env, copy, "corpus", java.getFileName().toString());
        System.out.println("[kit jar] corpus, the Java table: " + lastLine(good.output()));
        assertEquals(0, good.exitCode(), good.output());
        assertTrue(good.output().contains("differences=0 missing=0 extra=0"), good.output());

        Path broken = CorpusReplayOutput.write(ROOT.resolve(Corpus.FILE), porter.resolve("bug-replay.txt"),
                "FREE_ALL_SKIPS_DTOR");
        ExternalTools.Run bad = kit(porter, env, copy, "corpus", broken.getFileName().toString());
        System.out.println("[kit jar] corpus, seeded bug FREE_ALL_SKIPS_DTOR: " + lastLine(bad.output()));
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("corpus: FAIL trace ") && bad.output().contains("freeAll"), bad.output());

        ExternalTools.Run model = kit(porter, env, copy, "model", "AtomicSmall");
        System.out.println("[kit jar] model AtomicSmall: " + lastLine(model.output()));
        assertEquals(0, model.exitCode(), model.output());
        assertTrue(model.output().contains("AtomicSmall: success") && model.output().contains(": OK"), model.output());

        ExternalTools.Run unknown = kit(porter, env, copy, "frobnicate");
        assertEquals(2, unknown.exitCode(), unknown.output());

        try (Stream<Path> written = Files.list(home)) {
            assertEquals(List.of(), written.toList(), "the kit wrote to HOME");
        }
        ExternalTools.Run elsewhere = kit(porter, env, copy, "--work", porter.toString(), "unpack");
        assertEquals(2, elsewhere.exitCode(), "the kit must refuse to unpack into a directory not its own: " + elsewhere.output());
        Kit.deleteTree(porter);
    }

    /** mvn package of kit/pom.xml (offline first, as the kernel check does); the jar it made. */
    private static Path buildJar() throws Exception {
        List<String> base = List.of("mvn", "-B", "-q", "-f", "kit/pom.xml", "package");
        List<String> offline = new ArrayList<>(base);
        offline.add(1, "-o");
        ExternalTools.Run r = ExternalTools.run(ROOT, 600, offline);
        if (r.exitCode() != 0) {
            r = ExternalTools.run(ROOT, 600, base);
        }
        assertEquals(0, r.exitCode(), "mvn -f kit/pom.xml package failed:\n" + r.output());
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("<artifactId>shadowvars-kit</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("kit/pom.xml")));
        assertTrue(version.find(), "kit/pom.xml names its version");
        Path jar = ROOT.resolve("kit/target/shadowvars-kit-" + version.group(1) + ".jar");
        assertTrue(Files.isRegularFile(jar), jar + " was not built");
        return jar;
    }

    private static ExternalTools.Run kit(Path dir, Map<String, String> env, Path jar, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return ExternalTools.run(dir, 900, command, null, env);
    }

    /** The counts line the trace check must print for the set: one verdict per "# expect NAME VERDICT" line. */
    private static String expectedCounts(Path file) throws Exception {
        Map<KernelTraceCheck.Verdict, Integer> n = new TreeMap<>();
        for (KernelTraceCheck.Verdict v : KernelTraceCheck.Verdict.values()) {
            n.put(v, 0);
        }
        int total = 0;
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (l.startsWith("# expect ")) {
                n.merge(KernelTraceCheck.Verdict.valueOf(l.split(" ")[3].replace('-', '_')), 1, Integer::sum);
                total++;
            }
        }
        StringBuilder line = new StringBuilder("traces: total=" + total);
        for (KernelTraceCheck.Verdict v : KernelTraceCheck.Verdict.values()) {
            line.append(' ').append(v).append('=').append(n.get(v));
        }
        return line.toString();
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
