package io.github.shadowvars.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.shadowvars.kit.TlcOutput.Kind;
import io.github.shadowvars.kit.TlcOutput.TraceState;

/**
 * Prints a TLC error trace one line per step:
 * <pre>
 *  step  process  label  C step                   changed variables
 *     4  p1       Write  x = tmp + 1 (store)      x: 0 -> 1
 * </pre>
 * The process is the one whose {@code pc} entry changed (or, when no entry changed, the only one
 * whose {@code pc} named the label); the label is the action TLC names in "State N: &lt;Label
 * line ...&gt;"; the C step comes from model-check/labels.tsv; the changed variables show, for a
 * function, record or tuple, only the entries that changed ({@code tmp[p2]: 0 -> 1}), with long
 * values shortened. The acting process's own {@code pc} entry is left out: the label says it.
 */
final class Counterexample {

    /** Values longer than this are shortened to this many characters. */
    static final int MAX_VALUE = 48;

    private Counterexample() {}

    /** Reads labels.tsv ({@code label<TAB>C step}, {@code #} comments, optional header); empty if absent. */
    static Map<String, String> readLabels(Path file) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return labels;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", 2);
            if (f[0].strip().equals("label")) {
                continue; // header
            }
            labels.put(f[0].strip(), f.length > 1 ? f[1].strip() : "");
        }
        return labels;
    }

    /** The readable lines for a trace; empty for an empty trace. */
    static List<String> format(List<TraceState> trace, Map<String, String> labels) {
        List<String[]> rows = new ArrayList<>();
        Map<String, String> previous = null;
        List<Map<String, String>> byNumber = new ArrayList<>();
        for (TraceState s : trace) {
            String step = Integer.toString(s.number());
            String process = "";
            String label = s.action() == null ? "" : s.action();
            String changes;
            Map<String, String> current = s.vars();
            if (s.kind() == Kind.STUTTER) {
                label = "(stutters)";
                changes = "nothing changes from here on";
            } else if (s.kind() == Kind.BACK) {
                step = "->" + s.number();
                Map<String, String> target = s.number() - 1 < byNumber.size() ? byNumber.get(s.number() - 1) : null;
                if (previous != null && target != null) {
                    process = actingProcess(previous, target, label);
                    List<String> c = changes(previous, target, process);
                    changes = "back to state " + s.number()
                            + (c.isEmpty() ? " (no variable changed)" : ": " + String.join("; ", c));
                } else {
                    changes = "back to state " + s.number();
                }
            } else if (s.kind() == Kind.INIT || previous == null) {
                List<String> all = new ArrayList<>();
                current.forEach((k, v) -> all.add(k + " = " + shorten(v)));
                changes = String.join("; ", all);
            } else {
                label = stepLabel(label, previous, current, labels);
                process = actingProcess(previous, current, label);
                List<String> c = changes(previous, current, process);
                changes = c.isEmpty() ? "(no variable changed)" : String.join("; ", c);
            }
            if (s.kind() == Kind.INIT || s.kind() == Kind.STEP) {
                previous = current;
                byNumber.add(current);
            }
            String cStep = labels.getOrDefault(label, "");
            rows.add(new String[] {step, process, label, cStep, changes});
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        String[] head = {"step", "process", "label", "C step", "changed variables"};
        int[] width = new int[4];
        for (int c = 0; c < 4; c++) {
            width[c] = head[c].length();
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        List<String> out = new ArrayList<>();
        out.add(line(head, width));
        for (String[] r : rows) {
            out.add(line(r, width));
        }
        return out;
    }

    private static String line(String[] r, int[] width) {
        return String.format("  %" + width[0] + "s  %-" + width[1] + "s  %-" + width[2] + "s  %-" + width[3] + "s  %s",
                r[0], r[1], r[2], r[3], r[4]).stripTrailing();
    }

    /**
     * The spec label of the step from {@code before} to {@code after}. TLC names a step by the
     * action it matched, which is the label only where the next-state relation is written as a
     * disjunction of the labelled actions; a spec that wraps them (an auxiliary-variable module's
     * HNextOf(Step), say) gets the wrapper's name. Then the label is read from the state: the
     * acting process's {@code pc} before the step ("idle" is the Call of an operation),
     * rcu_reclaim when an entry became reclaimed and no process moved, or Die when an object
     * died (the weak table's {@code dead} grew) and no process moved.
     */
    static String stepLabel(String action, Map<String, String> before, Map<String, String> after,
                            Map<String, String> labels) {
        if (labels.containsKey(action) || before == null || after == null) {
            return action;
        }
        String p = actingProcess(before, after, action);
        if (p.isEmpty()) {
            p = onlyProcessChanged(before, after);
        }
        Map<String, String> pc = entries(before.get("pc"));
        if (!p.isEmpty() && !p.contains(",") && pc != null && pc.get(p) != null) {
            String at = pc.get(p).replace("\"", "");
            String label = at.equals("idle") ? "Call" : at;
            if (labels.containsKey(label)) {
                return label;
            }
        }
        String estate = after.get("estate");
        if (p.isEmpty() && estate != null && !Objects.equals(before.get("estate"), estate)
                && estate.contains("reclaimed") && labels.containsKey("rcu_reclaim")) {
            return "rcu_reclaim";
        }
        String dead = after.get("dead");
        if (p.isEmpty() && dead != null && !Objects.equals(before.get("dead"), dead) && labels.containsKey("Die")) {
            return "Die";
        }
        return action;
    }

    /**
     * The only process (a key of {@code pc}) whose entry changed in some variable that is a
     * function of the processes; "" if none or several.
     */
    private static String onlyProcessChanged(Map<String, String> before, Map<String, String> after) {
        Map<String, String> pc = entries(before.get("pc"));
        if (pc == null) {
            return "";
        }
        java.util.Set<String> moved = new java.util.TreeSet<>();
        for (var e : after.entrySet()) {
            Map<String, String> now = entries(e.getValue());
            Map<String, String> then = entries(before.get(e.getKey()));
            if (now == null || then == null || !now.keySet().equals(pc.keySet())) {
                continue;
            }
            for (String q : pc.keySet()) {
                if (!Objects.equals(now.get(q), then.get(q))) {
                    moved.add(q);
                }
            }
        }
        return moved.size() == 1 ? moved.iterator().next() : "";
    }

    /**
     * The process that took the step from {@code before} to {@code after}: the key of the only
     * {@code pc} entry that changed, else the only process whose {@code pc} was {@code label};
     * "" when {@code pc} is not a function (one process, or no PlusCal) or it is ambiguous.
     */
    static String actingProcess(Map<String, String> before, Map<String, String> after, String label) {
        Map<String, String> pcBefore = entries(before.get("pc"));
        Map<String, String> pcAfter = entries(after.get("pc"));
        if (pcBefore == null || pcAfter == null) {
            return "";
        }
        List<String> changed = new ArrayList<>();
        for (var e : pcAfter.entrySet()) {
            if (!Objects.equals(pcBefore.get(e.getKey()), e.getValue())) {
                changed.add(e.getKey());
            }
        }
        if (changed.size() == 1) {
            return changed.get(0);
        }
        List<String> atLabel = new ArrayList<>();
        for (var e : pcBefore.entrySet()) {
            if (e.getValue().equals("\"" + label + "\"")) {
                atLabel.add(e.getKey());
            }
        }
        if (changed.isEmpty() && atLabel.size() == 1) {
            return atLabel.get(0);
        }
        return changed.isEmpty() ? "" : String.join(",", changed);
    }

    /** The changed variables (entries, for functions, records and tuples), as "name: old -> new". */
    static List<String> changes(Map<String, String> before, Map<String, String> after, String process) {
        List<String> out = new ArrayList<>();
        for (var e : after.entrySet()) {
            String var = e.getKey();
            String now = e.getValue();
            String then = before.get(var);
            if (now.equals(then)) {
                continue;
            }
            Map<String, String> a = entries(then);
            Map<String, String> b = entries(now);
            if (a == null || b == null || kind(then) != kind(now)) {
                out.add(var + ": " + shorten(then) + " -> " + shorten(now));
                continue;
            }
            for (var be : b.entrySet()) {
                String old = a.get(be.getKey());
                if (Objects.equals(old, be.getValue())) {
                    continue;
                }
                if (var.equals("pc") && be.getKey().equals(process)) {
                    continue; // the label already says where the process was
                }
                out.add(entryName(var, be.getKey(), kind(now)) + ": " + shorten(old) + " -> " + shorten(be.getValue()));
            }
            for (var ae : a.entrySet()) {
                if (!b.containsKey(ae.getKey())) {
                    out.add(entryName(var, ae.getKey(), kind(now)) + ": " + shorten(ae.getValue()) + " -> (gone)");
                }
            }
        }
        return out;
    }

    private static String entryName(String var, String key, char kind) {
        return kind == '.' ? var + "." + key : var + "[" + key + "]";
    }

    /** Shortens a value to {@link #MAX_VALUE} characters; null prints as "(none)". */
    static String shorten(String v) {
        if (v == null) {
            return "(none)";
        }
        return v.length() <= MAX_VALUE ? v : v.substring(0, MAX_VALUE - 3) + "...";
    }

    /** '.' for a record, '[' for a tuple or function (k :> v @@ ...), ' ' for anything else. */
    private static char kind(String v) {
        if (v == null) {
            return ' ';
        }
        String t = v.strip();
        if (t.startsWith("<<") && t.endsWith(">>")) {
            return '[';
        }
        if (t.startsWith("[") && t.endsWith("]") && !split(t.substring(1, t.length() - 1), "|->").isEmpty()
                && split(t.substring(1, t.length() - 1), "|->").size() > 1) {
            return '.';
        }
        if (split(unparen(t), ":>").size() > 1) {
            return '[';
        }
        return ' ';
    }

    /**
     * The entries of a function value as TLC prints it: a tuple {@code <<a, b>>} (keys 1, 2, ...),
     * a record {@code [f |-> a, g |-> b]} (keys f, g) or a function {@code (k1 :> a @@ k2 :> b)}
     * (keys k1, k2); null for any other value.
     */
    static Map<String, String> entries(String v) {
        if (v == null) {
            return null;
        }
        String t = v.strip();
        Map<String, String> out = new LinkedHashMap<>();
        switch (kind(t)) {
            case '[':
                if (t.startsWith("<<")) {
                    String inner = t.substring(2, t.length() - 2).strip();
                    if (!inner.isEmpty()) {
                        List<String> items = split(inner, ",");
                        for (int i = 0; i < items.size(); i++) {
                            out.put(Integer.toString(i + 1), items.get(i).strip());
                        }
                    }
                    return out;
                }
                for (String pair : split(unparen(t), "@@")) {
                    List<String> kv = split(pair, ":>");
                    if (kv.size() != 2) {
                        return null;
                    }
                    out.put(kv.get(0).strip(), kv.get(1).strip());
                }
                return out;
            case '.':
                for (String field : split(t.substring(1, t.length() - 1), ",")) {
                    List<String> kv = split(field, "|->");
                    if (kv.size() != 2) {
                        return null;
                    }
                    out.put(kv.get(0).strip(), kv.get(1).strip());
                }
                return out;
            default:
                return null;
        }
    }

    private static String unparen(String t) {
        if (t.startsWith("(") && t.endsWith(")") && split(t.substring(1, t.length() - 1), ")").size() == 1) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    /**
     * Splits {@code s} at every {@code sep} that is outside brackets ({@code << >> [ ] ( ) { }})
     * and string literals.
     */
    static List<String> split(String s, String sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (depth == 0 && s.startsWith(sep, i)) {
                parts.add(s.substring(from, i));
                i += sep.length() - 1;
                from = i + 1;
                continue;
            }
            if (c == '"') {
                inString = true;
            } else if (s.startsWith("<<", i)) {
                depth++;
                i++;
            } else if (s.startsWith(">>", i)) {
                depth--;
                i++;
            } else if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
            }
        }
        parts.add(s.substring(from));
        return parts;
    }
}
