package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules");

    @Test
    void theGplFilesAreTheKernelModulesReadmeLists() throws IOException {
        Set<String> listed = listedInReadme();
        assertFalse(listed.isEmpty(), "README has no Licences table");
        Set<String> gpl = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("."))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Path rel = Path.of(".").relativize(f);
                if (rel.getNameCount() > 0 && SKIPPED_DIRS.contains(rel.getName(0).toString())) {
                    continue;
                }
                String text = textOf(f);
                if (text != null && GPL_LINE.matcher(text).find()) {
                    gpl.add(rel.toString().replace('\\', '/'));
                }
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

    /** The file's text, or null for a binary file. */
    private static String textOf(Path f) throws IOException {
        try {
            return Files.readString(f);
        } catch (MalformedInputException e) {
            return null;
        }
    }
}
