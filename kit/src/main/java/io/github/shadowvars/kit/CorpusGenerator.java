package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import io.github.shadowvars.kit.Tlc;

/**
 * Generates the conformance corpus (model-check/CORPUS.md) from the abstract spec: runs TLC on
 * spec/CorpusGen.tla with each model-check/corpus/*.cfg, each TLC in its own JVM (never
 * in-process: TLC calls System.exit), reads the traces TLC wrote (exhaustive: every state of a
 * -dump; random: the last state of each -simulate trace file, fixed seed) and writes them as
 * corpus lines. The output depends only on the spec and the configurations, so a regeneration
 * must reproduce the checked-in file byte for byte ({@link CorpusStalenessTest}).
 *
 * <p>Run: {@code mvn -B -o -q test -Dtest=CorpusStalenessTest -Dshadowvars.regenerateCorpus=true}
 * (writes model-check/corpus/corpus.txt), or this main with the test class path (argument: the
 * output file). If spec/ShadowAtomic.tla is not in this checkout, system property
 * shadowvars.tlaLibrary names a directory that holds it.
 */
public final class CorpusGenerator {

    /** A TLC run that produces traces: a configuration in model-check/corpus and how TLC explores. */
    record Source(String config, String prefix, boolean exhaustive) {
    }

    /** The corpus's parts, in file order. */
    static final List<Source> SOURCES = List.of(
            new Source("Exhaustive2x2", "x2x2", true),
            new Source("Exhaustive2x1", "x2x1", true),
            new Source("Random3x2", "r3x2", false));

    /** Random part: traces, states per trace at most, TLC's random seed. */
    static final int RANDOM_TRACES = 200;
    static final int RANDOM_DEPTH = 100;
    static final long RANDOM_SEED = 20261126L;

    private CorpusGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Path out = args.length > 0 ? Path.of(args[0]) : Corpus.FILE;
        Path work = Files.createTempDirectory("corpusgen");
        String text = generate(Path.of(""), work);
        Files.writeString(out, text);
        System.out.println("wrote " + out + " (" + text.length() + " characters)");
    }

    /** The corpus text generated from the spec in projectDir; TLC's files go to workDir. */
    public static String generate(Path projectDir, Path workDir) throws IOException, InterruptedException {
        List<Corpus.Trace> traces = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(
                "Conformance corpus of the shadow variables (format: model-check/CORPUS.md).",
                "GENERATED from the abstract spec spec/ShadowAtomic.tla by spec/CorpusGen.tla with",
                "model-check/corpus/*.cfg (TLC) and io.github.shadowvars.kit.CorpusGenerator: do not edit;",
                "regenerate: mvn -B -o -q test -Dtest=CorpusStalenessTest -Dshadowvars.regenerateCorpus=true"));
        for (Source s : SOURCES) {
            List<List<Map<String, Object>>> found = s.exhaustive() ? exhaustive(projectDir, workDir, s) : random(projectDir, workDir, s);
            List<Corpus.Trace> part = new ArrayList<>();
            for (List<Map<String, Object>> t : found) {
                part.add(new Corpus.Trace("", t.stream().map(CorpusGenerator::step).toList()));
            }
            if (s.exhaustive()) {
                part.sort(Comparator.comparing(t -> t.steps().toString()));
            }
            int steps = 0;
            for (int i = 0; i < part.size(); i++) {
                traces.add(new Corpus.Trace(String.format("%s-%04d", s.prefix(), i + 1), part.get(i).steps()));
                steps += part.get(i).steps().size();
            }
            header.add(String.format("%s: %s, %d traces, %d steps", s.prefix(),
                    s.exhaustive() ? s.config() + ".cfg, every trace (TLC -dump)"
                            : s.config() + ".cfg, TLC -simulate num=" + RANDOM_TRACES + " -depth " + RANDOM_DEPTH
                            + " -seed " + RANDOM_SEED, part.size(), steps));
        }
        return Corpus.write(header, traces);
    }

    /** Every complete trace of an exhaustive run: the trace of every dumped state, longest ones only. */
    private static List<List<Map<String, Object>>> exhaustive(Path projectDir, Path workDir, Source s)
            throws IOException, InterruptedException {
        Path dump = workDir.resolve(s.config());
        runTlc(projectDir, workDir, s, List.of("-dump", dump.toString()));
        List<List<Map<String, Object>>> all = new ArrayList<>();
        for (String state : Files.readString(workDir.resolve(s.config() + ".dump")).split("\nState \\d+:\n")) {
            all.add(traceOf(state));
        }
        int longest = all.stream().mapToInt(List::size).max().orElse(0);
        return all.stream().filter(t -> t.size() == longest).distinct().toList();
    }

    /** The trace in the last state of each -simulate trace file, in file order. */
    private static List<List<Map<String, Object>>> random(Path projectDir, Path workDir, Source s)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.resolve(s.config() + "-traces"));
        runTlc(projectDir, workDir, s, List.of("-simulate", "file=" + dir.resolve("trace") + ",num=" + RANDOM_TRACES,
                "-depth", Integer.toString(RANDOM_DEPTH), "-seed", Long.toString(RANDOM_SEED)));
        // Files trace_<worker>_<n>: order by n.
        Map<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.forEach(p -> {
                String[] parts = p.getFileName().toString().split("_");
                files.put(Integer.parseInt(parts[parts.length - 1]), p);
            });
        }
        List<List<Map<String, Object>>> traces = new ArrayList<>();
        for (Path f : files.values()) {
            String text = Files.readString(f);
            int last = text.lastIndexOf("\nSTATE_");
            traces.add(traceOf(text.substring(last)));
        }
        return traces;
    }

    /** The value of variable trace in one printed state ("/\ var = value" conjuncts). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> traceOf(String state) {
        int start = state.indexOf("/\\ trace = ");
        if (start < 0) {
            throw new IllegalArgumentException("no trace variable in state: " + state);
        }
        start += "/\\ trace = ".length();
        int end = state.indexOf("\n/\\ ", start);
        String value = (end < 0 ? state.substring(start) : state.substring(start, end)).trim();
        int moduleEnd = value.indexOf("\n====");
        if (moduleEnd >= 0) {
            value = value.substring(0, moduleEnd);
        }
        return (List<Map<String, Object>>) TlcValues.parse(value);
    }

    /** A CorpusGen TraceLine record as a corpus step. */
    static Corpus.Step step(Map<String, Object> line) {
        String why = (String) line.get("why");
        String obj = name(line.get("obj"));
        Op op = new Op(Op.Kind.of((String) line.get("op")), obj.equals("-") ? null : obj,
                Long.parseLong(line.get("id").toString().substring(1)), why.equals("allocFail"), why.equals("ctorFail"));
        List<String> dtors = new ArrayList<>();
        for (Object d : (List<?>) line.get("dtors")) {
            List<?> pair = (List<?>) d;
            dtors.add(name(pair.get(0)) + "=" + token(pair.get(1)));
        }
        return new Corpus.Step(op, new Outcome(why, token(line.get("val")), name(line.get("ctor")), dtors));
    }

    /** A model value's name, "-" for Nil. */
    private static String name(Object v) {
        String n = ((TlcValues.Name) v).name();
        return n.equals("Nil") ? "-" : n;
    }

    /** Data k is token dk; Nil is "-". */
    private static String token(Object v) {
        return v instanceof Long k ? "d" + k : name(v);
    }

    /** Runs TLC on spec/CorpusGen.tla with the source's configuration in a new JVM; fails unless it exits with 0. */
    private static void runTlc(Path projectDir, Path workDir, Source s, List<String> mode)
            throws IOException, InterruptedException {
        // TLC runs in a directory holding copies of the modules (it resolves EXTENDS there).
        Path specDir = Files.createDirectories(workDir.resolve("spec"));
        Path library = Path.of(System.getProperty("shadowvars.tlaLibrary", "spec"));
        for (String module : List.of("CorpusGen.tla", "ShadowAtomic.tla", "ShadowOps.tla")) {
            Path own = projectDir.resolve("spec").resolve(module);
            Files.copy(Files.exists(own) ? own : library.resolve(module), specDir.resolve(module),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path cfg = projectDir.toAbsolutePath().resolve("model-check").resolve("corpus").resolve(s.config() + ".cfg");
        List<String> args = Stream.of(List.of("-deadlock", "-config", cfg.toString()), mode, List.of("CorpusGen.tla"))
                .flatMap(List::stream).toList();
        Tlc.runOk(s.config() + ".cfg", Tlc.command(List.of(), workDir.resolve("meta-" + s.config()), args), specDir,
                workDir.resolve(s.config() + ".log"), Tlc.SMALL_MODEL_LIMIT);
    }
}
