package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The repository is Apache-2.0 but for the kernel modules README's "Licences" table lists: the
 * files with a GPL licence line (an SPDX GPL identifier, or a C {@code MODULE_LICENSE("GPL")})
 * are exactly the table's, and each of them is a kernel module.
 */
class LicenceTest {

    private static final Pattern GPL_LINE = Pattern.compile(
            "^(//|/\\*|#)\\s*SPDX-License-Identifier:\\s*GPL|^MODULE_LICENSE\\(\"GPL", Pattern.MULTILINE);
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target");

    @Test
    void theGplFilesAreTheKernelModulesReadmeLists() throws IOException {
        Set<String> listed = listedInReadme();
        assertFalse(listed.isEmpty(), "README has no Licences table");
        Set<String> gpl = new TreeSet<>();
        for (String f : repositoryFiles()) {
            String text = textOf(Path.of(f));
            if (text != null && GPL_LINE.matcher(text).find()) {
                gpl.add(f);
            }
        }
        assertEquals(listed, gpl, "files with a GPL licence line vs README's Licences table");
        for (String f : gpl) {
            String text = Files.readString(Path.of(f));
            assertTrue(text.contains("#include <linux/module.h>") && text.contains("MODULE_LICENSE(\"GPL"),
                    f + " is listed as GPL but is not a kernel module");
        }
    }

    /** The first column of README's "Licences" table: the GPL files. */
    private static Set<String> listedInReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("\n## Licences\n");
        assertTrue(start >= 0, "README has no Licences section");
        int end = readme.indexOf("\n## ", start + 1);
        Matcher m = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE).matcher(readme.substring(start, end));
        Set<String> listed = new TreeSet<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        return listed;
    }

    /**
     * The repository's files: tracked and untracked but not ignored ({@code git ls-files}), so
     * that a kernel tree fetched into an ignored folder is not counted; without git (a source
     * archive) every file outside .git and target.
     */
    private static List<String> repositoryFiles() throws IOException {
        try {
            Process git = new ProcessBuilder("git", "ls-files", "-co", "--exclude-standard")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            List<String> files = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(f -> Files.isRegularFile(Path.of(f))).toList();
            if (git.waitFor() == 0 && !files.isEmpty()) {
                return files;
            }
        } catch (IOException e) {
            // no git: walk the tree below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing the repository's files", e);
        }
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            return files.filter(Files::isRegularFile).map(f -> Path.of(".").relativize(f))
                    .filter(f -> !SKIPPED_DIRS.contains(f.getName(0).toString()))
                    .map(f -> f.toString().replace('\\', '/')).toList();
        }
    }

    /** The file's text, or null for a binary file. */
    private static String textOf(Path f) throws IOException {
        try {
            return Files.readString(f);
        } catch (MalformedInputException e) {
            return null;
        }
    }
}
