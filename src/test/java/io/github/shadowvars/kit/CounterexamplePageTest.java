package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.shadowvars.CheckSummary;

/**
 * The counterexample pages: their structure on small hand-written traces, and a seeded mutant's page
 * (Mutant_NoRecheck, checked by TLC here) rendered by headless Chromium, with assertions on the DOM
 * the browser built and a screenshot kept in target/. Without Chromium the browser test prints one
 * SKIPPED line.
 */
class CounterexamplePageTest {

    /** The seeded mutant whose page is rendered in the browser. */
    static final String MUTANT = "Mutant_NoRecheck";

    /** Two threads and the RCU callback: publish, a reader on the entry, unlink, kfree_rcu, reclaim. */
    static final List<String> TRACE = List.of(
            "State 1: <Initial predicate>",
            "/\\ pc = (p1 :> \"idle\" @@ p2 :> \"idle\")",
            "/\\ head = (0 :> Nil)",
            "/\\ next = (e1 :> Nil)",
            "/\\ estate = (e1 :> \"private\")",
            "/\\ cur = (p1 :> Nil @@ p2 :> Nil)",
            "",
            "State 2: <a_publish line 460, col 3 to line 470, col 40 of module Shadow>",
            "/\\ pc = (p1 :> \"a_unlock\" @@ p2 :> \"idle\")",
            "/\\ head = (0 :> e1)",
            "/\\ next = (e1 :> Nil)",
            "/\\ estate = (e1 :> \"published\")",
            "/\\ cur = (p1 :> Nil @@ p2 :> Nil)",
            "",
            "State 3: <g_lock line 295, col 3 to line 300, col 40 of module Shadow>",
            "/\\ pc = (p1 :> \"a_unlock\" @@ p2 :> \"g_walk\")",
            "/\\ head = (0 :> e1)",
            "/\\ next = (e1 :> Nil)",
            "/\\ estate = (e1 :> \"published\")",
            "/\\ cur = (p1 :> Nil @@ p2 :> e1)",
            "",
            "State 4: <f_del line 1, col 1 to line 2, col 2 of module Shadow>",
            "/\\ pc = (p1 :> \"f_kfree_rcu\" @@ p2 :> \"g_walk\")",
            "/\\ head = (0 :> Nil)",
            "/\\ next = (e1 :> Nil)",
            "/\\ estate = (e1 :> \"unlinked\")",
            "/\\ cur = (p1 :> Nil @@ p2 :> e1)",
            "",
            "State 5: <f_kfree_rcu line 1, col 1 to line 2, col 2 of module Shadow>",
            "/\\ pc = (p1 :> \"idle\" @@ p2 :> \"g_walk\")",
            "/\\ head = (0 :> Nil)",
            "/\\ next = (e1 :> Nil)",
            "/\\ estate = (e1 :> \"gp_wait\")",
            "/\\ cur = (p1 :> Nil @@ p2 :> e1)",
            "",
            "State 6: <rcu_reclaim line 1, col 1 to line 2, col 2 of module Shadow>",
            "/\\ pc = (p1 :> \"idle\" @@ p2 :> \"g_walk\")",
            "/\\ head = (0 :> Nil)",
            "/\\ next = (e1 :> Nil)",
            "/\\ estate = (e1 :> \"reclaimed\")",
            "/\\ cur = (p1 :> Nil @@ p2 :> e1)",
            "");

    private static Document page(List<String> trace) {
        CounterexamplePage.Info info = new CounterexamplePage.Info("hand-written", "NoUseAfterReclaim",
                "Invariant NoUseAfterReclaim is violated.", null, List.of("a note"), Map.of("TLC's output", "tlc.out"));
        String html = CounterexamplePage.render(info, TlcOutput.parseTrace(trace, 0),
                Map.of("a_publish", "hash_add_rcu(klp_shadow_hash, &new_shadow->node, obj)"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script"),
                "the page must need no network and no script");
        return Jsoup.parse(html);
    }

    @Test
    void aPageHasAColumnPerThreadARowPerStepAndTheEntriesInTheirStates() {
        Document d = page(TRACE);

        assertEquals(List.of("p1", "p2", ""), d.select("th.thread").eachAttr("data-thread"));
        Elements rows = d.select("tbody tr");
        assertEquals(List.of("1", "2", "3", "4", "5", "6"), rows.eachAttr("data-step"));
        assertEquals(List.of("", "p1", "p2", "p1", "p1", ""), rows.eachAttr("data-thread"));
        // The acting thread's column holds the label and the C step; the RCU callback gets the last column.
        Elements publish = rows.get(1).select("td.cell");
        assertEquals("a_publish", publish.get(0).selectFirst(".label").text());
        assertTrue(publish.get(0).selectFirst(".c").text().startsWith("hash_add_rcu"));
        assertTrue(publish.get(1).text().isEmpty() && publish.get(2).text().isEmpty());
        assertEquals("rcu_reclaim", rows.get(5).select("td.cell").get(2).selectFirst(".label").text());
        // e1 in each state's drawing, in the style of its lifecycle state; p2 stands on it from step 3.
        assertEquals(List.of("private", "published", "published", "unlinked", "gp_wait", "reclaimed"),
                rows.stream().map(r -> r.selectFirst("g.entry[data-entry=e1]").attr("data-state")).toList());
        assertTrue(rows.get(2).selectFirst("svg.chains").text().contains("\u25B2p2"));
        assertTrue(rows.get(1).selectFirst("g.entry[data-entry=e1]").hasClass("changed"));
        assertFalse(rows.get(2).selectFirst("g.entry[data-entry=e1]").hasClass("changed"));
        // The last state breaks the invariant.
        Elements bad = d.select("tr.violation");
        assertEquals(1, bad.size());
        assertEquals("6", bad.get(0).attr("data-step"));
        assertEquals("violation", bad.get(0).id());
        assertTrue(bad.get(0).text().contains("NoUseAfterReclaim is violated"), bad.get(0).text());
    }

    @Test
    void withoutTheChainVariablesThePageStillShowsTheSteps() {
        List<String> trace = TRACE.stream().filter(l -> !l.startsWith("/\\ head") && !l.startsWith("/\\ next")).toList();

        Document d = page(trace);

        assertEquals(List.of("p1", "p2", ""), d.select("th.thread").eachAttr("data-thread"));
        assertEquals(6, d.select("tbody tr").size());
        assertTrue(d.select("svg.chains").isEmpty());
        assertTrue(d.selectFirst("tbody tr .nodraw").text().contains("no variables head and next"));
    }

    @Test
    void chromiumRendersASeededMutantsPage() throws Exception {
        ExternalTools.require("the browser test of the counterexample pages", "apt-get install -y chromium (ci/checks does)",
                "chromium");
        Path root = Path.of("").toAbsolutePath();
        Path out = root.resolve("target/counterexample-page");
        ModelCheckRunner.Options options = ModelCheckRunner.Options.defaults(root).withOut(out)
                .withModels(List.of(MUTANT));
        ModelCheckRunner.Report report = new ModelCheckRunner(options, new LocalTlcLauncher(LocalTlcLauncher.findJar(),
                1, options.heap()), System.out).run();
        assertTrue(report.ok(), report.summary());
        Manifest.Row row = report.results().get(0).row();
        Path page = out.resolve(ModelCheckRunner.pageLink(MUTANT));
        assertTrue(Files.exists(page), page + " was not written");
        assertTrue(report.summary().contains("[page](" + ModelCheckRunner.pageLink(MUTANT) + ")"), report.summary());

        Path profile = Files.createTempDirectory(out, "chromium-profile");
        Path dom = out.resolve(MUTANT + ".dom.html");
        ExternalTools.Run dump = ExternalTools.run(out, 120, chromium(profile, "--dump-dom", page.toUri().toString()), dom);
        assertEquals(0, dump.exitCode(), "chromium --dump-dom: " + dump.output());
        Document d = Jsoup.parse(dom.toFile());

        // One column per thread of the model (the keys of pc), one row per state of TLC's trace.
        assertEquals(List.of("p1", "p2"), d.select("th.thread").eachAttr("data-thread"));
        Elements rows = d.select("tbody tr");
        assertEquals(row.depth().intValue(), rows.size());
        for (Element r : rows.subList(1, rows.size())) {
            Element act = r.selectFirst("td.act");
            assertNotNull(act, "step " + r.attr("data-step") + " has no acting thread");
            assertFalse(act.selectFirst(".c").text().isEmpty(), "step " + r.attr("data-step") + " has no C step");
        }
        // The violating state is the last one: two published entries with one key (the lost re-check).
        Element bad = d.selectFirst("tr.violation");
        assertNotNull(bad);
        assertEquals(Long.toString(row.depth()), bad.attr("data-step"));
        assertEquals(rows.last(), bad);
        assertTrue(bad.text().contains(row.violated() + " is violated"), bad.text());
        Elements published = bad.select("g.entry.published");
        assertEquals(2, published.size(), bad.html());
        assertEquals(published.get(0).selectFirst(".key").text(), published.get(1).selectFirst(".key").text());

        // The screenshot shows the whole page, the violating row in its colour.
        Path shot = root.resolve("target/counterexample-" + MUTANT + ".png");
        Files.deleteIfExists(shot);
        int height = 400 + 200 * rows.size(); // rows are at most about 150 px high
        ExternalTools.Run s = ExternalTools.run(out, 120, chromium(profile, "--window-size=1400," + height,
                "--hide-scrollbars", "--screenshot=" + shot, page.toUri().toString()));
        assertEquals(0, s.exitCode(), "chromium --screenshot: " + s.output());
        BufferedImage image = ImageIO.read(shot.toFile());
        assertNotNull(image, shot + " is not an image");
        assertTrue(colours(image).contains(0xfff0f0), "the violating row's background is not in " + shot);
        System.out.println("counterexample page: " + page + "; screenshot: " + shot);
        CheckSummary.figures(getClass(), MUTANT + "'s counterexample page rendered by Chromium: 2 thread columns, "
                + rows.size() + " steps, " + row.violated() + " violated at step " + row.depth() + "; screenshot "
                + root.relativize(shot));
    }

    private static List<String> chromium(Path profile, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> out = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                out.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return out;
    }
}
