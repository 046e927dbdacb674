package io.github.shadowvars.kit;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.Patch;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Seeded bugs of the Java reference, as the kernel check seeds them in shadow.c: each is a unified
 * diff in {@code src/test/seeded-bugs/NAME.diff} against the sources in {@code src/main/java},
 * applied to a copy at test time, compiled into {@code target/seeded-bugs/NAME/classes} and put
 * ahead of the real classes for the check that must catch it: on the class path of a forked JVM
 * (jcstress), or through {@link #loader(String)} in this JVM (trace validation, poison). The
 * library's own sources never carry a seeded-bug switch. A patch that no longer applies fails with
 * the hunk that did not match; so does a changed copy of the reference checked with
 * {@link #compile(String, Path)}.
 */
public final class SeededBugs {

    /** Where the patches are, relative to the project directory. */
    public static final Path PATCHES = Path.of("src", "test", "seeded-bugs");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Path LIBRARY_CLASSES = Path.of("target", "classes");
    private static final Path TEST_CLASSES = Path.of("target", "test-classes");
    /** The package whose classes a seeded-bug loader loads itself, patched first. */
    private static final String PACKAGE = "io.github.shadowvars.";

    private static final Map<String, Path> COMPILED = new ConcurrentHashMap<>();

    private SeededBugs() {
    }

    /** The names of the patches in {@link #PATCHES}, sorted. */
    public static List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(PATCHES)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".diff"))
                    .map(n -> n.substring(0, n.length() - ".diff".length())).sorted().toList();
        }
    }

    /** The patch's first line: what the seeded bug breaks. */
    public static String description(String bug) throws IOException {
        return Files.readAllLines(PATCHES.resolve(bug + ".diff")).get(0);
    }

    /**
     * The class directory of seeded bug {@code bug}: its patch applied to a copy of the sources it
     * names, compiled against the real classes (once per JVM).
     *
     * @throws IllegalStateException if the patch does not apply or the patched copy does not compile
     */
    public static Path classes(String bug) {
        return COMPILED.computeIfAbsent(bug, b -> {
            try {
                return applyAndCompile(b, PATCHES.resolve(b + ".diff"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Applies {@code patch} to copies of the files it names (paths relative to the project
     * directory) and compiles them into {@code target/seeded-bugs/NAME/classes}.
     */
    public static Path compile(String name, Path patch) throws IOException {
        Path out = applyAndCompile(name, patch);
        COMPILED.put(name, out);
        return out;
    }

    private static Path applyAndCompile(String name, Path patch) throws IOException {
        Path work = Path.of("target", "seeded-bugs", name);
        Path src = work.resolve("src");
        Path out = work.resolve("classes");
        Kit.deleteTree(work);
        Files.createDirectories(out);
        UnifiedDiff diff;
        try (InputStream in = Files.newInputStream(patch)) {
            diff = UnifiedDiffReader.parseUnifiedDiff(in);
        }
        if (diff.getFiles().isEmpty()) {
            throw new IllegalStateException(patch + " holds no file diff");
        }
        List<String> sources = new ArrayList<>();
        for (UnifiedDiffFile file : diff.getFiles()) {
            Path original = Path.of(stripPrefix(file.getFromFile()));
            Patch<String> hunks = file.getPatch();
            List<String> patched;
            try {
                patched = DiffUtils.patch(Files.readAllLines(original), hunks);
            } catch (PatchFailedException e) {
                throw new IllegalStateException("seeded bug " + name + ": " + patch + " no longer applies to "
                        + original + " (" + e.getMessage() + "); update the patch to the changed source", e);
            }
            Path copy = src.resolve(SOURCES.relativize(original));
            Files.createDirectories(copy.getParent());
            Files.write(copy, patched, StandardCharsets.UTF_8);
            sources.add(copy.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> options = List.of("--release", "17", "-proc:none", "-nowarn", "-d", out.toString(),
                "-cp", LIBRARY_CLASSES.toString());
        StringWriter errors = new StringWriter();
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            compiled = javac.getTask(errors, files, null, options, null, files.getJavaFileObjectsFromStrings(sources)).call();
        }
        if (!compiled) {
            throw new IllegalStateException("seeded bug " + name + ": the patched copy does not compile:\n" + errors);
        }
        return out;
    }

    /**
     * A class loader in which every class of the project's packages, library and tests alike, is
     * loaded by this loader, from the seeded bug's classes first, then the real ones: code run
     * through it sees only the broken library. Other classes (JUnit, TLC's launcher, the JDK) come
     * from the parent.
     */
    public static ClassLoader loader(String bug) {
        try {
            URL[] urls = {classes(bug).toUri().toURL(), LIBRARY_CLASSES.toUri().toURL(), TEST_CLASSES.toUri().toURL()};
            return new ChildFirst(urls, SeededBugs.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code className.method(args)} (a static method taking and returning only JDK types)
     * with seeded bug {@code bug} in place, and returns its result.
     */
    public static Object call(String bug, String className, String method, Object... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i] instanceof Long ? long.class : args[i] instanceof Integer ? int.class
                    : args[i] instanceof Boolean ? boolean.class : args[i].getClass();
        }
        Class<?> c = Class.forName(className, true, loader(bug));
        var m = c.getDeclaredMethod(method, types);
        m.setAccessible(true);
        try {
            return m.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    private static String stripPrefix(String path) {
        return path.startsWith("a/") || path.startsWith("b/") ? path.substring(2) : path;
    }

    /** Loads the project's classes itself (seeded classes first); everything else from the parent. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super("seeded-bug", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
