package io.github.shadowvars.kit;

import java.util.List;

/**
 * What a caller observes of one operation: the output half of a corpus line (see
 * model-check/CORPUS.md), for example {@code new d1 o1 -}.
 *
 * @param why    why the operation returned what it returned, the spec's "why" field: value (get), new,
 *               exists (getOrAlloc found it), dup (alloc found it), allocFail, ctorFail, done (free, freeAll)
 * @param result "-" for null, else the data token (d1, d2, ...: numbered in the order the run created
 *               them by a successful alloc or getOrAlloc)
 * @param ctor   "-" if no constructor ran, else the obj names it was called with, comma-separated
 * @param dtors  the destructor calls as "obj=token", sorted (freeAll's order is not specified)
 */
public record Outcome(String why, String result, String ctor, List<String> dtors) {

    public Outcome {
        dtors = dtors.stream().sorted().toList();
    }

    /** The corpus form: {@code why result ctor dtors}. */
    @Override
    public String toString() {
        return why + " " + result + " " + ctor + " " + (dtors.isEmpty() ? "-" : String.join(",", dtors));
    }
}
