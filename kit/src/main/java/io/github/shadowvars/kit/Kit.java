package io.github.shadowvars.kit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The checking kit's commands that need nothing but a JDK: the model checker on the spec's models,
 * trace validation, and the corpus comparison. Two ways in, one code:
 * <ul>
 * <li>the kit jar ({@code java -jar shadowvars-kit-<version>.jar COMMAND}, built by
 * {@code mvn -f kit/pom.xml package}): the spec, the models, the corpus and the format documents it
 * carries are copied to {@code ./shadowvars-kit} (or {@code --work DIR}) and checked there;</li>
 * <li>{@code ./check} in a checkout ({@code Check}): the checkout's own files.</li>
 * </ul>
 */
public final class Kit {

    /** Where the jar keeps its files (kit/pom.xml's resources). */
    static final String CARRIED = "kit-root";

    /** The file that marks a directory the jar unpacked into (it refuses any other non-empty one). */
    static final String MARKER = ".shadowvars-kit";

    /** The commands; %1$s is how the user calls the kit. */
    static final String HELP = """
            Model checking (TLC, models and expected results in model-check/manifest.tsv):
              models small|all [OPTS]       the small set (the test command's) or every model but the extra ones
              model NAME... [OPTS]          models by name, e.g. model Small2x2x1 Mutant_NoRecheck
              cfg FILE.cfg MODULE [EXPECT]  a model of your own: FILE.cfg checked against spec/MODULE.tla;
                                            EXPECT success (default), safety, liveness or deadlock
              OPTS are the model-check runner's (--workers N, --traces, --simulate --num N --depth D,
              --distributed N, --update-manifest, ...: model-check/README.md)

            Traces of any implementation (format: model-check/TRACE.md):
              trace FILE [OUTDIR]           TLC checks every trace of FILE against spec/Shadow.tla; a verdict
                                            per trace (ACCEPTED, RESULT, PROPERTY, SHAPE, UNKNOWN-EVENT, ...)

            A port's replay of the conformance corpus (format: model-check/CORPUS.md):
              corpus FILE                   compares FILE, the outcomes your port observed, with
                                            model-check/corpus/corpus.txt line by line
            """;

    /** The jar's own help: the commands above, how to call them, and where its files go. */
    static final String JAR_HELP = """
            usage: %1$s [--work DIR] COMMAND [ARGS]

            The shadowvars checking kit: TLC 2.18 with the shadow-variable spec, its models, the
            conformance corpus and the trace checker. Needs a JDK 17 and nothing else. It copies the
            spec, the models, the corpus and their format documents (TRACE.md, CORPUS.md) to
            ./shadowvars-kit (or DIR) and writes its results there; the copy is replaced on every run
            (a model of your own: cfg, with your .cfg kept elsewhere).

            """ + HELP + """

            Files:
              unpack                        only copy the files out (to read the spec and the formats)

            Exit code: 0 the check passed, 1 it failed, 2 bad arguments or a file that cannot be checked.
            """;

    private Kit() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(runJar(args));
    }

    /** The jar's entry: {@code [--work DIR] COMMAND [ARGS]} on the files the jar carries. */
    static int runJar(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        Path work = Path.of("shadowvars-kit");
        if (a.size() >= 2 && a.get(0).equals("--work")) {
            work = Path.of(a.get(1));
            a = a.subList(2, a.size());
        }
        String prog = "java -jar " + jarName();
        if (a.isEmpty() || List.of("--help", "-h", "help").contains(a.get(0))) {
            System.out.print(JAR_HELP.formatted(prog));
            return a.isEmpty() ? 2 : 0;
        }
        if (!isCommand(a.get(0)) && !a.get(0).equals("unpack")) {
            return usage("unknown command " + a.get(0), prog);
        }
        Path root;
        try {
            root = unpack(work.toAbsolutePath());
        } catch (IllegalStateException | IOException e) {
            System.err.println("kit: cannot use " + work + " as the kit's directory: " + e.getMessage());
            return 2;
        }
        if (a.get(0).equals("unpack")) {
            System.out.println("kit: the spec, the models, the corpus and the format documents are in " + root);
            return 0;
        }
        return run(a, root, prog);
    }

    /** Whether {@code command} is one of {@link #HELP}'s. */
    public static boolean isCommand(String command) {
        return List.of("models", "model", "cfg", "trace", "corpus").contains(command);
    }

    /**
     * Runs one of {@link #HELP}'s commands on the project files under {@code root} (spec/,
     * model-check/), its results under {@code root}/target unless the command says where.
     */
    public static int run(List<String> args, Path root, String prog) throws Exception {
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        switch (args.get(0)) {
            case "models" -> {
                if (rest.isEmpty()) {
                    return usage("models needs small or all", prog);
                }
                rest.add(0, "--size");
                return runner(rest, root, prog);
            }
            case "model" -> {
                List<String> runnerArgs = new ArrayList<>();
                for (String a : rest) {
                    if (a.startsWith("--") || !runnerArgs.isEmpty() && runnerArgs.get(runnerArgs.size() - 1).startsWith("--")
                            && !runnerArgs.get(runnerArgs.size() - 1).equals("--model")) {
                        runnerArgs.add(a);
                    } else {
                        runnerArgs.add("--model");
                        runnerArgs.add(a);
                    }
                }
                return runnerArgs.contains("--model") ? runner(runnerArgs, root, prog) : usage("model needs a model name", prog);
            }
            case "cfg" -> {
                if (rest.size() < 2 || rest.size() > 3) {
                    return usage("cfg needs FILE.cfg and MODULE", prog);
                }
                return ownModel(Path.of(rest.get(0)), rest.get(1), rest.size() > 2 ? rest.get(2) : "success", root, prog);
            }
            case "trace" -> {
                if (rest.isEmpty() || rest.size() > 2) {
                    return usage("trace needs FILE [OUTDIR]", prog);
                }
                if (!Files.isRegularFile(Path.of(rest.get(0)))) {
                    return usage(rest.get(0) + " is not a file", prog);
                }
                return KernelTraceCheck.run(root, Path.of(rest.get(0)).toAbsolutePath(),
                        rest.size() > 1 ? Path.of(rest.get(1)).toAbsolutePath() : root.resolve("target/trace-check"), -1);
            }
            case "corpus" -> {
                if (rest.size() != 1 || rest.get(0).startsWith("--")) {
                    return usage("corpus needs FILE, your port's replay output", prog);
                }
                Path file = Path.of(rest.get(0));
                if (!Files.isRegularFile(file)) {
                    return usage(file + " is not a file", prog);
                }
                return CorpusCheck.run(root.resolve(Corpus.FILE), file, System.out);
            }
            default -> {
                return usage("unknown command " + args.get(0), prog);
            }
        }
    }

    static int usage(String problem, String prog) {
        System.err.println("kit: " + problem + " (" + prog + " --help)");
        return 2;
    }

    private static int runner(List<String> args, Path root, String prog) throws Exception {
        ModelCheckRunner.Options options;
        try {
            options = ModelCheckRunner.parseArgs(args.toArray(String[]::new), root);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage(), prog);
        }
        return new ModelCheckRunner(options, options.launcher(), System.out).run().ok() ? 0 : 1;
    }

    /**
     * A model of the user's own: a scratch project directory whose spec/ is a link to root's and whose
     * manifest has one row, the user's .cfg expected to give {@code expect}.
     */
    private static int ownModel(Path cfg, String module, String expect, Path root, String prog) throws Exception {
        if (!Files.isRegularFile(cfg)) {
            return usage(cfg + " is not a file", prog);
        }
        if (!Manifest.EXPECTED.contains(expect)) {
            return usage("EXPECT must be one of " + Manifest.EXPECTED, prog);
        }
        if (!Files.isRegularFile(root.resolve("spec").resolve(module + ".tla"))) {
            return usage("no module spec/" + module + ".tla", prog);
        }
        Path scratch = root.resolve("target/check-cfg");
        Files.createDirectories(scratch.resolve("model-check"));
        Path spec = scratch.resolve("spec");
        Files.deleteIfExists(spec);
        Files.createSymbolicLink(spec, root.resolve("spec"));
        String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
        Files.copy(cfg, scratch.resolve("model-check/" + name + ".cfg"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(root.resolve("model-check/labels.tsv"), scratch.resolve("model-check/labels.tsv"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(scratch.resolve("model-check/manifest.tsv"), Manifest.HEADER + "\n"
                + String.join("\t", name, module, "small", expect, "-", "-", "-", "-", "your model " + cfg) + "\n");
        return runner(List.of("--root", scratch.toString(), "--out", root.resolve("target").toString(),
                "--model", name, "--traces"), root, prog);
    }

    /**
     * Copies the files this kit carries (spec/, model-check/) to {@code dir}, replacing older copies,
     * and returns {@code dir}. Throws IllegalStateException when the kit carries none (its classes
     * were not built by kit/pom.xml).
     */
    static Path unpack(Path dir) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (Files.isDirectory(dir) && !Files.exists(marker)) {
            try (Stream<Path> in = Files.list(dir)) {
                if (in.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " is not empty and is not a directory of this kit (no " + MARKER
                            + "): the kit replaces its spec/ and model-check/ on every run, so it will not write there;"
                            + " pick another --work DIR");
                }
            }
        }
        Path location;
        try {
            location = Path.of(Kit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the kit's own files: " + e.getMessage(), e);
        }
        for (String mine : List.of("spec", "model-check")) { // replaced, not merged: no file of an older kit left
            deleteTree(dir.resolve(mine));
        }
        if (Files.isDirectory(location)) {
            copyTree(location.resolve(CARRIED), dir);
        } else {
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                copyTree(jar.getPath("/" + CARRIED), dir);
            }
        }
        if (!Files.isRegularFile(dir.resolve("spec/Shadow.tla")) || !Files.isRegularFile(dir.resolve(Corpus.FILE))) {
            throw new IllegalStateException(location + " carries no spec or corpus: build the kit jar with"
                    + " mvn -f kit/pom.xml package");
        }
        Files.writeString(marker, "Written by the shadowvars kit jar: spec/ and model-check/ here are replaced on every run.\n");
        return dir;
    }

    /** Deletes dir and everything under it, if it exists (a file alone too); the kit's one copy. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The jar's file name, or "shadowvars-kit.jar" when run from classes. */
    private static String jarName() {
        try {
            Path p = Path.of(Kit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(p) ? p.getFileName().toString() : "shadowvars-kit.jar";
        } catch (URISyntaxException | RuntimeException e) {
            return "shadowvars-kit.jar";
        }
    }
}
