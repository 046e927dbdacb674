package io.github.shadowvars.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one TLC run reported, read from its exit code and its console output (TLC 2.18 format).
 *
 * @param result    "success", "deadlock", "safety", "liveness" or "error" (see {@link #resultOf})
 * @param exitCode  TLC's exit code
 * @param violated  the invariant or property TLC reported as violated, or null
 * @param distinct  the last "M distinct states found" TLC printed, or null
 * @param total     the last "N states generated" TLC printed, or null
 * @param depth     "The depth of the complete state graph search is D", or null (TLC does not print
 *                  it after a liveness violation)
 * @param message   TLC's first error line ("Error: ..."), or null
 * @param trace     the states of TLC's error trace, empty when TLC printed none
 * @param traces    simulation only: the number of behaviours TLC generated, or null (an
 *                  exhaustive check, or a simulation stopped by a violation)
 */
record TlcOutput(String result, int exitCode, String violated, Long distinct, Long total, Long depth,
                 String message, List<TraceState> trace, Long traces) {

    /** The same output with another result, violated name, message and trace. */
    TlcOutput withResult(String newResult, String newViolated, String newMessage, List<TraceState> newTrace) {
        return new TlcOutput(newResult, exitCode, newViolated, distinct, total, depth, newMessage, newTrace, traces);
    }

    /**
     * One state of an error trace.
     *
     * @param number  the state's number in the trace ("State N"), or for a "Back to state N" line N
     * @param kind    INIT, STEP, STUTTER (the behaviour stutters forever from here) or BACK (the
     *                behaviour loops back to state {@code number})
     * @param action  the action (PlusCal label) that led to this state, or null
     * @param vars    variable name -> value text (whitespace collapsed), in TLC's order; empty for
     *                STUTTER and BACK
     */
    record TraceState(int number, Kind kind, String action, Map<String, String> vars) {}

    /** How a trace state came about. */
    enum Kind { INIT, STEP, STUTTER, BACK }

    /** TLC's exit code -> the manifest's name for the outcome; anything unknown is "error". */
    static String resultOf(int exitCode) {
        switch (exitCode) {
            case 0: return "success";
            case 11: return "deadlock";
            case 12: // an invariant or action property is violated
            case 14: // a PlusCal assert failed: also a safety violation
                return "safety";
            case 13: return "liveness";
            default: return "error"; // 10 assumption, 75-77 evaluation failure, >= 150 parse/config/system
        }
    }

    private static final Pattern COUNTS =
            Pattern.compile("([\\d,]+) states generated, ([\\d,]+) distinct states found");
    private static final Pattern DEPTH = Pattern.compile("The depth of the complete state graph search is ([\\d,]+)");
    private static final Pattern INVARIANT = Pattern.compile("^Error: Invariant (\\S+) is violated");
    private static final Pattern ACTION_PROPERTY = Pattern.compile("^Error: Action property (\\S+) is violated");
    private static final Pattern STATE = Pattern.compile("^State (\\d+): (.*)$");
    private static final Pattern BACK = Pattern.compile("^Back to state (\\d+)(?::\\s*(.*))?$");
    private static final Pattern ACTION_NAME = Pattern.compile("^<([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern VAR = Pattern.compile("^(?:/\\\\ )?([A-Za-z_][A-Za-z0-9_]*) = (.*)$");

    /**
     * Parses TLC's output.
     *
     * @param temporalProperty the name to report when TLC says "Temporal properties were violated"
     *                         (TLC does not name the property; the runner passes the model's only
     *                         PROPERTY, or null if it has several)
     */
    static TlcOutput parse(int exitCode, String output, String temporalProperty) {
        String violated = null;
        boolean actionProperty = false;
        String message = null;
        Long distinct = null, total = null, depth = null;
        List<String> lines = output.lines().toList();
        int traceStart = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m;
            if (message == null && line.startsWith("Error: ")) {
                message = line.substring("Error: ".length()).strip();
            }
            if (violated == null && (m = INVARIANT.matcher(line)).find()) {
                violated = stripDot(m.group(1));
            } else if (violated == null && (m = ACTION_PROPERTY.matcher(line)).find()) {
                violated = stripDot(m.group(1));
                actionProperty = true;
            } else if (violated == null && line.startsWith("Error: Temporal properties were violated")) {
                violated = temporalProperty != null ? temporalProperty : "temporal properties";
            } else if (violated == null && line.startsWith("Error: The first argument of Assert evaluated to FALSE")) {
                violated = "Assert";
            }
            if ((m = COUNTS.matcher(line)).find()) { // the last one wins: progress lines come first
                total = number(m.group(1));
                distinct = number(m.group(2));
            }
            if ((m = DEPTH.matcher(line)).find()) {
                depth = number(m.group(1));
            }
            if (traceStart < 0 && (line.startsWith("Error: The behavior up to this point is")
                    || line.startsWith("Error: The following behavior constitutes a counter-example"))) {
                traceStart = i + 1;
            }
        }
        List<TraceState> trace = traceStart < 0 ? List.of() : parseTrace(lines, traceStart);
        // TLC 2.18 exits with 13 for a violated action property ([][A]_v) as for a temporal one, but an
        // action property is a safety property (a finite counterexample): report it as such.
        String result = exitCode == 13 && actionProperty ? "safety" : resultOf(exitCode);
        // TLC 2.18 can exit with 0 after an error it caught (a StackOverflowError while computing the
        // initial states, seen 2026-12-06): a success needs no "Error:" line.
        if (result.equals("success") && message != null) {
            result = "error";
        }
        return new TlcOutput(result, exitCode, violated, distinct, total, depth, message, trace, null);
    }

    /** Reads "State N: <...>" blocks from {@code start} on, until a line that is not part of a trace. */
    static List<TraceState> parseTrace(List<String> lines, int start) {
        List<TraceState> states = new ArrayList<>();
        int i = start;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank()) {
                i++;
                continue;
            }
            Matcher s = STATE.matcher(line);
            Matcher b = BACK.matcher(line);
            if (b.matches()) {
                states.add(new TraceState(Integer.parseInt(b.group(1)), Kind.BACK, actionName(b.group(2)), Map.of()));
                i++;
                continue;
            }
            if (!s.matches()) {
                break; // the trace is over
            }
            int number = Integer.parseInt(s.group(1));
            String header = s.group(2).strip();
            i++;
            if (header.startsWith("Stuttering")) {
                states.add(new TraceState(number, Kind.STUTTER, null, Map.of()));
                continue;
            }
            Kind kind = header.startsWith("<Initial predicate>") ? Kind.INIT : Kind.STEP;
            Map<String, String> vars = new LinkedHashMap<>();
            String name = null;
            StringBuilder value = null;
            // Variables: "/\ v = value" lines (or "v = value" when the spec has one variable);
            // TLC breaks long values over several lines, the later ones indented.
            while (i < lines.size() && !lines.get(i).isBlank()) {
                String l = lines.get(i);
                Matcher v = VAR.matcher(l);
                boolean continuation = Character.isWhitespace(l.charAt(0)) && value != null;
                if (!continuation && v.matches()) {
                    if (name != null) {
                        vars.put(name, collapse(value.toString()));
                    }
                    name = v.group(1);
                    value = new StringBuilder(v.group(2));
                } else if (value != null && !STATE.matcher(l).matches() && !BACK.matcher(l).matches()) {
                    value.append(' ').append(l.strip());
                } else {
                    break;
                }
                i++;
            }
            if (name != null) {
                vars.put(name, collapse(value.toString()));
            }
            states.add(new TraceState(number, kind, kind == Kind.INIT ? "Init" : actionName(header), vars));
        }
        return states;
    }

    private static String actionName(String header) {
        if (header == null) {
            return null;
        }
        Matcher m = ACTION_NAME.matcher(header.strip());
        return m.find() ? m.group(1) : header.strip();
    }

    /** Collapses runs of white space outside string literals to one blank. */
    static String collapse(String s) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < s.length()) {
                    out.append(s.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c);
            if (c == '"') {
                inString = true;
            }
        }
        return out.toString();
    }

    private static String stripDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static Long number(String s) {
        return Long.parseLong(s.replace(",", ""));
    }
}
