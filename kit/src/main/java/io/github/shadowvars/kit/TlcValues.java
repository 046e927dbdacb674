package io.github.shadowvars.kit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the values TLC prints in its state dumps (-dump) and simulation traces (-simulate
 * file=...): strings, integers, names (model values, TRUE, FALSE), sequences and tuples
 * {@code <<a, b>>}, sets {@code {a, b}}, records {@code [f |-> v]} and functions
 * {@code (k :> v @@ ...)}. Strings become {@link String}, integers {@link Long}, names {@link Name},
 * sequences and sets {@link List} (a set in TLC's printed order), records and functions
 * {@link Map}. Enough for the corpus generator; not a general TLA+ parser.
 */
final class TlcValues {

    /** An unquoted name: a model value, TRUE or FALSE. */
    record Name(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final String text;
    private int pos;

    private TlcValues(String text) {
        this.text = text;
    }

    /** Parses one value that makes up all of text (whitespace and line breaks allowed anywhere). */
    static Object parse(String text) {
        TlcValues p = new TlcValues(text);
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("trailing text");
        }
        return v;
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("value expected");
        }
        char c = text.charAt(pos);
        if (text.startsWith("<<", pos)) {
            pos += 2;
            return list(">>");
        }
        if (c == '{') {
            pos++;
            return list("}");
        }
        if (c == '[') {
            pos++;
            return record();
        }
        if (c == '(') {
            pos++;
            return function();
        }
        if (c == '"') {
            return string();
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return Long.parseLong(text.substring(start, pos));
        }
        if (Character.isLetter(c) || c == '_') {
            return new Name(identifier());
        }
        throw error("unexpected character '" + c + "'");
    }

    private List<Object> list(String close) {
        List<Object> items = new ArrayList<>();
        skipSpace();
        if (text.startsWith(close, pos)) {
            pos += close.length();
            return items;
        }
        while (true) {
            items.add(value());
            skipSpace();
            if (text.startsWith(close, pos)) {
                pos += close.length();
                return items;
            }
            expect(",");
        }
    }

    private Map<String, Object> record() {
        Map<String, Object> fields = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            String field = identifier();
            expect("|->");
            fields.put(field, value());
            skipSpace();
            if (text.startsWith("]", pos)) {
                pos++;
                return fields;
            }
            expect(",");
        }
    }

    private Map<Object, Object> function() {
        Map<Object, Object> map = new LinkedHashMap<>();
        while (true) {
            Object key = value();
            expect(":>");
            map.put(key, value());
            skipSpace();
            if (text.startsWith(")", pos)) {
                pos++;
                return map;
            }
            expect("@@");
        }
    }

    private String string() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (text.charAt(pos) != '"') {
            char c = text.charAt(pos++);
            if (c == '\\') {
                c = text.charAt(pos++);
            }
            sb.append(c);
        }
        pos++;
        return sb.toString();
    }

    private String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("name expected");
        }
        return text.substring(start, pos);
    }

    private void expect(String token) {
        skipSpace();
        if (!text.startsWith(token, pos)) {
            throw error("'" + token + "' expected");
        }
        pos += token.length();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        int from = Math.max(0, pos - 40);
        return new IllegalArgumentException(what + " at " + pos + ": ..." + text.substring(from, Math.min(text.length(), pos + 40)));
    }
}
