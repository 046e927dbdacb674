package io.github.shadowvars.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.shadowvars.kit.TlcOutput.Kind;
import io.github.shadowvars.kit.TlcOutput.TraceState;

/**
 * A counterexample as one self-contained HTML page (inline CSS and SVG, no script, no network):
 * one column per thread and one row per step; each step shows
 * its spec label, the C step it stands for (model-check/labels.tsv) and the variables it changed;
 * beside it, the bucket chains of the state after the step, drawn as boxes and arrows in the style
 * of each entry's lifecycle state (published, private, unlinked, awaiting a grace period,
 * reclaimed). The state where the property breaks (for a liveness failure: the loop) is
 * highlighted and named.
 *
 * <p>The page reads TLC's states generically. The threads are the keys of {@code pc}; the acting
 * thread of a step is found as in {@link Counterexample}; a step no thread took (the RCU callback)
 * goes to a column of its own. The chains are drawn from the variables named in {@link #CHAIN_VARS}
 * when the trace has them: {@code head} and {@code next} are needed for the drawing, the others only
 * add detail; without them the page has no drawing and says so.
 */
final class CounterexamplePage {

    /** The spec's variables the drawing reads: bucket heads, forward links, lifecycle state, key fields, readers' positions. */
    static final List<String> CHAIN_VARS = List.of("head", "next", "estate", "eobj", "eid", "cur");

    /** TLC's text for the spec's NULL. */
    static final String NIL = "Nil";

    /** Lifecycle states drawn, in legend order, with their meaning. */
    static final Map<String, String> STATES = legend();

    private static Map<String, String> legend() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("published", "published: reachable from a bucket head");
        m.put("private", "private: allocated, not yet published");
        m.put("unlinked", "unlinked: hash_del_rcu done, not yet handed to kfree_rcu");
        m.put("gp_wait", "awaiting a grace period: handed to kfree_rcu");
        m.put("reclaimed", "reclaimed: memory freed");
        return m;
    }

    private static final String[] THREAD_COLOURS = {"#6a1b9a", "#00838f", "#ad1457", "#4e342e", "#283593", "#558b2f"};
    private static final int BOX_W = 78, BOX_H = 34, GAP = 30, LEFT = 100, ROW_H = 58, TOP = 8;

    /**
     * What the page says about the run.
     *
     * @param title     the page's title, e.g. the model's name
     * @param violated  the property that is violated, or null
     * @param message   TLC's error line, or null
     * @param breaks    what the highlighted row says, or null for "{@code violated} is violated in the
     *                  state after this step"
     * @param notes     lines shown under the title (e.g. the module, what the manifest expects)
     * @param links     link text -> relative address (e.g. TLC's output next to the page)
     */
    record Info(String title, String violated, String message, String breaks, List<String> notes,
                Map<String, String> links) {
    }

    private CounterexamplePage() {
    }

    /** One row of the page. */
    private record Row(String step, String thread, String label, String cStep, List<String> changes,
                       Map<String, String> state, Map<String, String> previous, Kind kind) {
    }

    /** The page for {@code trace}; {@code labels} maps a spec label to its C step. */
    static String render(Info info, List<TraceState> trace, Map<String, String> labels) {
        return render(info, trace, labels, List.of());
    }

    /**
     * As {@link #render(Info, List, Map)}, with the label of each step given: {@code stepLabels.get(n - 2)}
     * is the label of the step into state n (for a trace module, whose action TLC names is not the
     * spec's label); missing or null entries keep TLC's action name.
     */
    static String render(Info info, List<TraceState> trace, Map<String, String> labels, List<String> stepLabels) {
        List<Row> rows = rows(trace, labels, stepLabels);
        List<String> threads = threads(trace);
        boolean otherColumn = rows.stream().anyMatch(r -> r.kind() != Kind.INIT && !threads.contains(r.thread()));
        int violation = violationRow(rows);
        boolean drawable = trace.stream().anyMatch(s -> s.vars().containsKey("head") && s.vars().containsKey("next"));

        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc("Counterexample: " + info.title())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Counterexample: ").append(esc(info.title())).append("</h1>\n");
        h.append("<p class=\"verdict\">").append(info.violated() == null ? "TLC's error trace"
                : "<b>" + esc(info.violated()) + "</b>" + (info.breaks() == null ? " is violated" : "")).append(info.message() == null ? ""
                : " &mdash; TLC: " + esc(info.message())).append(" &mdash; ").append(rows.size()).append(" states, ")
                .append(threads.size()).append(" threads. <a href=\"#violation\">Go to the step where it breaks</a></p>\n");
        for (String note : info.notes()) {
            h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        if (!info.links().isEmpty()) {
            h.append("<p class=\"note\">");
            info.links().forEach((text, href) -> h.append("<a href=\"").append(esc(href)).append("\">").append(esc(text))
                    .append("</a> "));
            h.append("</p>\n");
        }
        h.append(legendHtml(threads, drawable));

        h.append("<table class=\"trace\">\n<thead><tr><th class=\"step\">step</th>");
        for (int t = 0; t < threads.size(); t++) {
            h.append("<th class=\"thread\" data-thread=\"").append(esc(threads.get(t))).append("\" style=\"color:")
                    .append(colour(t)).append("\">").append(esc(threads.get(t))).append("</th>");
        }
        if (otherColumn) {
            h.append("<th class=\"thread other\" data-thread=\"\">no thread (RCU callback, ...)</th>");
        }
        h.append("<th class=\"chains\">bucket chains after the step</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            boolean bad = i == violation;
            h.append("<tr class=\"").append(bad ? "violation " : "").append(r.kind().name().toLowerCase()).append('"')
                    .append(bad ? " id=\"violation\"" : "").append(" data-step=\"").append(esc(r.step()))
                    .append("\" data-thread=\"").append(esc(r.thread())).append("\" data-label=\"").append(esc(r.label()))
                    .append("\">");
            h.append("<td class=\"step\">").append(esc(r.step())).append("</td>");
            int column = r.kind() == Kind.INIT ? -1 : threads.indexOf(r.thread());
            int columns = threads.size() + (otherColumn ? 1 : 0);
            if (r.kind() == Kind.INIT) {
                h.append("<td class=\"cell init\" colspan=\"").append(columns).append("\">")
                        .append(stepText(r, "initial state", bad, info)).append("</td>");
            } else {
                int target = column >= 0 ? column : threads.size();
                for (int c = 0; c < columns; c++) {
                    if (c == target) {
                        h.append("<td class=\"cell act\" style=\"border-left-color:")
                                .append(c < threads.size() ? colour(c) : "#777").append("\">")
                                .append(stepText(r, null, bad, info)).append("</td>");
                    } else {
                        h.append("<td class=\"cell\"></td>");
                    }
                }
            }
            h.append("<td class=\"chains\">");
            if (r.state() != null && drawable) {
                h.append(chains(r.state(), r.previous(), threads, "r" + i));
            } else if (r.state() != null) {
                h.append("<span class=\"nodraw\">(no bucket chains: the trace has no variables head and next)</span>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String stepText(Row r, String defaultLabel, boolean violation, Info info) {
        StringBuilder s = new StringBuilder();
        if (violation) {
            s.append("<div class=\"broken\">&#10006; ").append(info.breaks() != null ? esc(info.breaks())
                    : (info.violated() == null ? "the error TLC reports" : esc(info.violated()) + " is violated")
                    + (r.kind() == Kind.STEP || r.kind() == Kind.INIT ? " in the state after this step"
                    : ": the behaviour repeats from here for ever")).append("</div>");
        }
        s.append("<div class=\"label\">").append(esc(r.label().isEmpty() && defaultLabel != null ? defaultLabel : r.label()))
                .append("</div>");
        if (!r.cStep().isEmpty()) {
            s.append("<div class=\"c\">").append(esc(r.cStep())).append("</div>");
        }
        if (!r.changes().isEmpty()) {
            s.append("<div class=\"changes\">");
            for (String c : r.changes()) {
                s.append("<span>").append(esc(c)).append("</span> ");
            }
            s.append("</div>");
        }
        return s.toString();
    }

    /** The rows, with the acting thread and the changes of each step (as {@link Counterexample#format}). */
    private static List<Row> rows(List<TraceState> trace, Map<String, String> labels, List<String> stepLabels) {
        List<Row> rows = new ArrayList<>();
        Map<String, String> previous = null;
        List<Map<String, String>> byNumber = new ArrayList<>();
        for (TraceState s : trace) {
            String label = s.action() == null ? "" : s.action();
            if (s.kind() == Kind.STEP && s.number() >= 2 && s.number() - 2 < stepLabels.size()
                    && stepLabels.get(s.number() - 2) != null) {
                label = stepLabels.get(s.number() - 2);
            }
            switch (s.kind()) {
                case STUTTER:
                    rows.add(new Row(Integer.toString(s.number()), "", "(stutters)", "", List.of("nothing changes from here on"),
                            null, null, Kind.STUTTER));
                    break;
                case BACK: {
                    Map<String, String> target = s.number() - 1 < byNumber.size() ? byNumber.get(s.number() - 1) : null;
                    String thread = previous != null && target != null ? Counterexample.actingProcess(previous, target, label) : "";
                    List<String> changes = new ArrayList<>();
                    changes.add("back to state " + s.number());
                    if (previous != null && target != null) {
                        changes.addAll(Counterexample.changes(previous, target, thread));
                    }
                    rows.add(new Row("->" + s.number(), thread, label, labels.getOrDefault(label, ""), changes, target,
                            previous, Kind.BACK));
                    break;
                }
                default: {
                    Map<String, String> current = s.vars();
                    boolean init = s.kind() == Kind.INIT || previous == null;
                    if (!init) {
                        label = Counterexample.stepLabel(label, previous, current, labels);
                    }
                    String thread = init ? "" : Counterexample.actingProcess(previous, current, label);
                    List<String> changes = init ? List.of() : Counterexample.changes(previous, current, thread);
                    rows.add(new Row(Integer.toString(s.number()), thread, init ? "Init" : label,
                            labels.getOrDefault(label, ""), changes, current, previous, init ? Kind.INIT : Kind.STEP));
                    previous = current;
                    byNumber.add(current);
                }
            }
        }
        return rows;
    }

    /** The threads: the keys of {@code pc} in the first state that has it as a function; else none. */
    private static List<String> threads(List<TraceState> trace) {
        for (TraceState s : trace) {
            Map<String, String> pc = Counterexample.entries(s.vars().get("pc"));
            if (pc != null) {
                return List.copyOf(pc.keySet());
            }
        }
        return List.of();
    }

    /** The row where the property breaks: the loop of a liveness trace, else the last state. */
    private static int violationRow(List<Row> rows) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).kind() == Kind.BACK || rows.get(i).kind() == Kind.STUTTER) {
                return i;
            }
        }
        return rows.size() - 1;
    }

    private static String colour(int thread) {
        return THREAD_COLOURS[thread % THREAD_COLOURS.length];
    }

    private static String legendHtml(List<String> threads, boolean drawable) {
        StringBuilder s = new StringBuilder("<div class=\"legend\">");
        if (drawable) {
            for (String state : STATES.keySet()) {
                s.append("<span class=\"item\"><svg width=\"").append(BOX_W + 4).append("\" height=\"").append(BOX_H + 4)
                        .append("\" role=\"img\"><g class=\"entry ").append(state).append("\" transform=\"translate(2,2)\">");
                box(s, 0, 0, "e", state);
                s.append("</g></svg> ").append(esc(STATES.get(state))).append("</span>");
            }
            s.append("<p class=\"note\">Arrows: a bucket head or a next link (dashed: the link of an entry off the"
                    + " table, which keeps it). &#9650;p under an entry: thread p stands on it. A thick outline or"
                    + " arrow: changed by this step.</p>");
        }
        s.append("</div>\n");
        return s.toString();
    }

    /** The bucket chains of one state as an SVG, entries changed since {@code previous} outlined. */
    private static String chains(Map<String, String> vars, Map<String, String> previous, List<String> threads, String id) {
        Map<String, String> head = Counterexample.entries(vars.get("head"));
        Map<String, String> next = orEmpty(Counterexample.entries(vars.get("next")));
        Map<String, String> state = orEmpty(Counterexample.entries(vars.get("estate")));
        Map<String, String> obj = orEmpty(Counterexample.entries(vars.get("eobj")));
        Map<String, String> key = orEmpty(Counterexample.entries(vars.get("eid")));
        Map<String, String> cur = orEmpty(Counterexample.entries(vars.get("cur")));
        Map<String, String> prevHead = previous == null ? null : Counterexample.entries(previous.get("head"));
        Map<String, String> prevNext = previous == null ? Map.of() : orEmpty(Counterexample.entries(previous.get("next")));
        Map<String, String> prevState = previous == null ? Map.of() : orEmpty(Counterexample.entries(previous.get("estate")));
        if (head == null) {
            return "<span class=\"nodraw\">(head is not a function in this state)</span>";
        }
        Map<String, int[]> at = new LinkedHashMap<>(); // entry -> {x, y}
        int row = 0;
        int widest = 0;
        StringBuilder body = new StringBuilder();
        for (var b : head.entrySet()) {
            int y = TOP + row * ROW_H;
            body.append("<text x=\"2\" y=\"").append(y + BOX_H / 2 + 4).append("\" class=\"bucket\">bucket ")
                    .append(esc(b.getKey())).append("</text>");
            int x = LEFT;
            String e = unquote(b.getValue());
            Set<String> seen = new LinkedHashSet<>();
            boolean headChanged = prevHead != null && !Objects.equals(prevHead.get(b.getKey()), b.getValue());
            arrow(body, LEFT - 12, y + BOX_H / 2, x, y + BOX_H / 2, id, headChanged);
            while (!e.equals(NIL) && seen.add(e) && !at.containsKey(e)) {
                at.put(e, new int[] {x, y});
                x += BOX_W + GAP;
                e = unquote(next.getOrDefault(e, NIL));
            }
            if (e.equals(NIL)) {
                body.append("<text x=\"").append(x + 3).append("\" y=\"").append(y + BOX_H / 2 + 4)
                        .append("\" class=\"nil\">NULL</text>");
            }
            widest = Math.max(widest, x + 40);
            row++;
        }
        // Entries not reachable from a head but alive in some way: private, unlinked, awaiting a grace period, reclaimed.
        List<String> off = new ArrayList<>();
        for (var s : state.entrySet()) {
            String st = unquote(s.getValue());
            if (!at.containsKey(s.getKey()) && STATES.containsKey(st) && !st.equals("published")) {
                off.add(s.getKey());
            }
        }
        if (!off.isEmpty()) {
            int y = TOP + row * ROW_H + 10;
            body.append("<text x=\"2\" y=\"").append(y + BOX_H / 2 + 4).append("\" class=\"bucket\">off the table</text>");
            int x = LEFT;
            for (String e : off) {
                at.put(e, new int[] {x, y});
                x += BOX_W + GAP;
            }
            widest = Math.max(widest, x + 40);
            row++;
        }
        // Links, then boxes on top of them.
        StringBuilder links = new StringBuilder();
        for (var e : at.entrySet()) {
            String to = unquote(next.getOrDefault(e.getKey(), NIL));
            int[] a = e.getValue();
            boolean changed = previous != null && !Objects.equals(prevNext.get(e.getKey()), next.get(e.getKey()));
            if (!to.equals(NIL) && at.containsKey(to)) {
                int[] b = at.get(to);
                if (b[1] == a[1] && b[0] > a[0]) {
                    arrow(links, a[0] + BOX_W, a[1] + BOX_H / 2, b[0], b[1] + BOX_H / 2, id, changed);
                } else {
                    curve(links, a[0] + BOX_W, a[1] + BOX_H / 2, b[0] + BOX_W / 2, b[1] + (b[1] < a[1] ? BOX_H : 0), id,
                            changed);
                }
            } else if (!to.equals(NIL)) {
                links.append("<text x=\"").append(a[0] + BOX_W + 4).append("\" y=\"").append(a[1] + 12)
                        .append("\" class=\"nil\">&#8594;").append(esc(to)).append("</text>");
            }
        }
        StringBuilder boxes = new StringBuilder();
        for (var e : at.entrySet()) {
            String name = e.getKey();
            String st = unquote(state.getOrDefault(name, "?"));
            boolean changed = previous != null && (!Objects.equals(prevState.get(name), state.get(name))
                    || !Objects.equals(prevNext.get(name), next.get(name)));
            int[] a = e.getValue();
            boxes.append("<g class=\"entry ").append(STATES.containsKey(st) ? st : "unknown").append(changed ? " changed" : "")
                    .append("\" data-entry=\"").append(esc(name)).append("\" data-state=\"").append(esc(st))
                    .append("\" transform=\"translate(").append(a[0]).append(',').append(a[1]).append(")\">");
            String k = obj.containsKey(name) && !unquote(obj.get(name)).equals(NIL)
                    ? unquote(obj.get(name)) + (key.containsKey(name) ? "," + unquote(key.get(name)) : "") : "";
            box(boxes, 0, 0, name + (k.isEmpty() ? "" : " " + k), st);
            boxes.append("<title>").append(esc(name + ": " + (STATES.getOrDefault(st, st))
                    + (k.isEmpty() ? "" : ", key <" + k + ">"))).append("</title></g>");
            int dx = 0;
            for (int t = 0; t < threads.size(); t++) {
                if (name.equals(unquote(cur.getOrDefault(threads.get(t), NIL)))) {
                    boxes.append("<text x=\"").append(a[0] + 2 + dx).append("\" y=\"").append(a[1] + BOX_H + 13)
                            .append("\" class=\"reader\" fill=\"").append(colour(t)).append("\">&#9650;")
                            .append(esc(threads.get(t))).append("</text>");
                    dx += 30;
                }
            }
        }
        int height = TOP + row * ROW_H + 14;
        return "<svg class=\"chains\" width=\"" + Math.max(widest, 200) + "\" height=\"" + height + "\" role=\"img\">"
                + "<defs><marker id=\"" + id + "a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerUnits=\"userSpaceOnUse\""
                + " markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker>"
                + "</defs>" + body + links + boxes + "</svg>";
    }

    private static void box(StringBuilder s, int x, int y, String text, String state) {
        s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BOX_W)
                .append("\" height=\"").append(BOX_H).append("\" rx=\"4\"/>");
        if (state.equals("reclaimed")) {
            s.append("<path class=\"cross\" d=\"M").append(x).append(',').append(y).append(" L").append(x + BOX_W).append(',')
                    .append(y + BOX_H).append(" M").append(x + BOX_W).append(',').append(y).append(" L").append(x).append(',')
                    .append(y + BOX_H).append("\"/>");
        }
        String[] parts = text.split(" ", 2);
        s.append("<text x=\"").append(x + BOX_W / 2).append("\" y=\"").append(y + 15).append("\" class=\"name\">")
                .append(esc(parts[0])).append("</text>");
        String second = parts.length > 1 ? parts[1] : state.equals("gp_wait") ? "GP" : "";
        if (parts.length > 1 && state.equals("gp_wait")) {
            second = "GP " + second;
        }
        if (!second.isEmpty()) {
            s.append("<text x=\"").append(x + BOX_W / 2).append("\" y=\"").append(y + 28).append("\" class=\"key\">")
                    .append(esc(second)).append("</text>");
        }
    }

    private static void arrow(StringBuilder s, int x1, int y1, int x2, int y2, String id, boolean changed) {
        s.append("<line x1=\"").append(x1).append("\" y1=\"").append(y1).append("\" x2=\"").append(x2 - 1)
                .append("\" y2=\"").append(y2).append("\" class=\"link").append(changed ? " changed" : "")
                .append("\" marker-end=\"url(#").append(id).append("a)\"/>");
    }

    private static void curve(StringBuilder s, int x1, int y1, int x2, int y2, String id, boolean changed) {
        int cx = x1 + 30;
        s.append("<path d=\"M").append(x1).append(',').append(y1).append(" C").append(cx).append(',').append(y1).append(' ')
                .append(x2).append(',').append((y1 + y2) / 2).append(' ').append(x2).append(',').append(y2)
                .append("\" class=\"link kept").append(changed ? " changed" : "").append("\" marker-end=\"url(#")
                .append(id).append("a)\"/>");
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }

    private static String unquote(String v) {
        String t = v.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    /** Escapes text for HTML content and attribute values. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = String.join("\n",
            "body{font:14px/1.35 system-ui,sans-serif;margin:16px;color:#222}",
            "h1{font-size:20px;margin:0 0 6px}",
            ".verdict{font-size:15px;margin:4px 0}.note{color:#555;margin:2px 0}",
            ".legend{margin:8px 0 12px;display:flex;flex-wrap:wrap;gap:4px 18px;align-items:center}",
            ".legend .item{display:inline-flex;align-items:center;gap:6px;font-size:12px}.legend p{flex-basis:100%}",
            "table.trace{border-collapse:collapse}",
            "table.trace th{position:sticky;top:0;background:#f4f4f4;border-bottom:2px solid #999;padding:4px 8px;text-align:left;z-index:1}",
            "table.trace td{border-bottom:1px solid #ddd;padding:4px 8px;vertical-align:top}",
            "td.step{text-align:right;color:#666;font-variant-numeric:tabular-nums}",
            "td.cell{min-width:150px;max-width:320px}td.act{border-left:4px solid #777}",
            ".label{font-family:ui-monospace,monospace;font-weight:bold}",
            ".c{font-size:12px;color:#333}.changes{font-size:11px;color:#777;font-family:ui-monospace,monospace}",
            ".changes span{display:inline-block;margin-right:6px}",
            "tr.violation td{background:#fff0f0}tr.violation td.step{border-left:5px solid #c62828;color:#c62828;font-weight:bold}",
            ".broken{color:#c62828;font-weight:bold;margin-bottom:2px}",
            ".bucket{font-size:12px;fill:#444}.nil{font-size:11px;fill:#777;font-family:ui-monospace,monospace}",
            ".reader{font-size:11px;font-weight:bold}",
            ".nodraw{color:#999;font-size:12px}",
            "g.entry rect{stroke-width:1.5}",
            "g.entry.changed rect{stroke-width:3.5}",
            "g.entry .name{font:bold 12px ui-monospace,monospace;text-anchor:middle;fill:#111}",
            "g.entry .key{font:11px ui-monospace,monospace;text-anchor:middle;fill:#333}",
            "g.published rect{fill:#e3f4e1;stroke:#2e7d32}",
            "g.private rect{fill:#fafafa;stroke:#9e9e9e;stroke-dasharray:2 2}",
            "g.unlinked rect{fill:#fff3e0;stroke:#ef6c00;stroke-dasharray:6 3}",
            "g.gp_wait rect{fill:#e3f2fd;stroke:#1565c0;stroke-dasharray:2 3}",
            "g.reclaimed rect{fill:#ffebee;stroke:#c62828}g.reclaimed .cross{stroke:#c62828;stroke-width:1;opacity:.5}",
            "g.unknown rect{fill:#fff;stroke:#555}",
            ".link{stroke:#333;stroke-width:1.3;fill:none}.link.kept{stroke-dasharray:4 3}.link.changed{stroke-width:3}",
            "");
}
