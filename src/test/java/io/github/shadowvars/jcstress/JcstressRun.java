package io.github.shadowvars.jcstress;

import io.github.shadowvars.kit.SeededBugs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One jcstress run in its own JVM ({@code org.openjdk.jcstress.Main} on this JVM's class path,
 * which under surefire is the full test class path), and what its verbose output says per harness.
 *
 * <p>jcstress spins two threads hard; never start two runs at once (the JUnit tests run them one
 * after another).
 */
final class JcstressRun {

    /** One line of a harness's result table: an outcome id, how often it was seen, and its grade. */
    record Row(String outcome, long samples, String expect) {
        boolean forbidden() {
            return expect.equals("Forbidden") || expect.equals("Unknown");
        }
    }

    /** A harness's status ([OK], [FAILED], [ERROR], ...) and its outcomes over all configurations. */
    record Harness(String name, String status, List<Row> rows) {
        long samples() {
            return rows.stream().mapToLong(Row::samples).sum();
        }

        List<Row> forbiddenSeen() {
            return rows.stream().filter(r -> r.forbidden() && r.samples() > 0).toList();
        }

        String simpleName() {
            return name.substring(name.lastIndexOf('.') + 1);
        }
    }

    /** The exit code, the harness results in report order, the log file and the HTML report. */
    record Result(int exitCode, Map<String, Harness> harnesses, Path log, Path report) {
        /** A table: harness, status, samples, each outcome seen with its count and grade. */
        String summary() {
            StringBuilder sb = new StringBuilder();
            for (Harness h : harnesses.values()) {
                sb.append(String.format("%-22s %-8s %,12d samples%n", h.simpleName(), h.status(), h.samples()));
                for (Row r : h.rows()) {
                    sb.append(String.format("    %-18s %,12d  %s%n", r.outcome(), r.samples(), r.expect()));
                }
            }
            return sb.toString();
        }

        /** This run and a second one of other harnesses, as one: the first non-zero exit code; this run's log and report (the second's: its own log line). */
        Result and(Result other) {
            Map<String, Harness> all = new java.util.LinkedHashMap<>(harnesses);
            all.putAll(other.harnesses);
            System.out.println("jcstress: a second run, log " + other.log + ", report " + other.report);
            return new Result(exitCode != 0 ? exitCode : other.exitCode, all, log, report);
        }
    }

    /** jcstress's per-test header in verbose output, e.g. "...... [OK] io.github.shadowvars.jcstress.AllocAlloc". */
    private static final Pattern HEADER = Pattern.compile("^\\.+ \\[([A-Z_ ]+)\\] (\\S+)\\s*$");
    /** A result row: "  1, 0, 1, 1  498,995   62.79%  Acceptable  description". */
    private static final Pattern ROW = Pattern.compile("^\\s*(\\S.*?)\\s+([0-9,]+)\\s+(\\S+%)\\s+(\\S+)(\\s.*)?$");

    private JcstressRun() {
    }

    /**
     * This JVM's class path, with a seeded bug of the table first (its patched classes shadow the
     * real ones); "NONE" leaves it as it is.
     */
    static String classPath(String seededBug) {
        String cp = System.getProperty("java.class.path");
        if (seededBug.equals("NONE")) {
            return cp;
        }
        return SeededBugs.classes(seededBug).toAbsolutePath() + java.io.File.pathSeparator + cp;
    }

    /**
     * Runs the harnesses whose class name matches {@code selector} (a regex over fully qualified
     * names) with the given seeded bug ("NONE" for the real code) and jcstress options.
     *
     * @param label   names the log file: target/jcstress/&lt;label&gt;.log
     * @param options jcstress options other than -t, -jvmArgs, -r, -v
     * @param jvmArgs added to the forked JVMs' options (space-separated, for example
     *                "-Dshadowvars.flavour=GC"), or ""
     */
    static Result run(String label, String selector, String seededBug, List<String> options, String jvmArgs)
            throws IOException, InterruptedException {
        Path work = Path.of("target", "jcstress").toAbsolutePath();
        Files.createDirectories(work);
        Path log = work.resolve(label + ".log");
        Path report = work.resolve("report-" + label);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(classPath(seededBug));
        cmd.add("org.openjdk.jcstress.Main");
        cmd.add("-v");
        cmd.add("-t");
        cmd.add(selector);
        cmd.addAll(options);
        cmd.add("-jvmArgs");
        cmd.add(("-XX:+UseParallelGC " + jvmArgs).trim());       // the forked VMs inherit the class path above
        cmd.add("-r");
        cmd.add(report.toString());
        System.out.println("jcstress: " + String.join(" ", cmd.subList(3, cmd.size())));
        Process p = new ProcessBuilder(cmd)
                .directory(work.toFile())           // jcstress drops its result blob in the working directory
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        int exit = p.waitFor();
        return new Result(exit, parse(Files.readAllLines(log, StandardCharsets.UTF_8)), log, report.resolve("index.html"));
    }

    /**
     * The harnesses that ended in a hard error because the table's poison reported a use after
     * reclaim (a {@code io.github.shadowvars.UseAfterReclaimError} in the messages jcstress prints under the
     * harness's "[ERROR] name" line): the stand-in for a KASAN report, which stops that harness
     * before it has outcomes to grade.
     */
    static java.util.Set<String> poisonErrors(List<String> lines) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        String current = null;
        for (String line : lines) {
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                current = h.group(1).trim().equals("ERROR") ? h.group(2) : null;
            } else if (current != null && line.contains("io.github.shadowvars.UseAfterReclaimError")) {
                out.add(current);
            }
        }
        return out;
    }

    /** The per-harness results of jcstress's verbose "RUN RESULTS" section. */
    static Map<String, Harness> parse(List<String> lines) {
        Map<String, Harness> out = new LinkedHashMap<>();
        boolean inResults = false;
        String name = null;
        String status = null;
        List<Row> rows = null;
        for (String line : lines) {
            if (line.startsWith("RUN RESULTS:")) {
                inResults = true;
                continue;
            }
            if (!inResults) {
                continue;
            }
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (name != null) {
                    out.put(name, new Harness(name, status, rows));
                }
                status = h.group(1).trim();
                name = h.group(2);
                rows = new ArrayList<>();
                continue;
            }
            if (name == null || line.contains("RESULT  SAMPLES")) {
                continue;
            }
            Matcher r = ROW.matcher(line);
            if (r.matches() && !r.group(1).startsWith("Results across")) {
                rows.add(new Row(r.group(1), Long.parseLong(r.group(2).replace(",", "")), r.group(4)));
            }
        }
        if (name != null) {
            out.put(name, new Harness(name, status, rows));
        }
        return out;
    }
}
