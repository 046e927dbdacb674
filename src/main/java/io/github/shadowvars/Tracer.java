package io.github.shadowvars;

/**
 * Trace points at the labelled steps of spec/Shadow.tla, the one seam between the algorithm and
 * the checks that watch it (trace validation records every step; tests pause a thread at one).
 * A table built without a tracer uses {@link #OFF}, whose methods do nothing and which the JIT
 * inlines away.
 *
 * <p>Protocol: a step whose effect must be atomic with respect to the other recorded steps runs
 * between {@link #begin()} and one {@code end} or {@code visit} call, which names its
 * label and what it observed; a step whose work runs outside (the allocation, a ctor, a dtor: they
 * touch only the caller's data and may block) is reported afterwards by {@link #done}. Entries are
 * passed as opaque identities. Labels are the spec's (model-check/labels.tsv).
 */
abstract class Tracer {
    /*
     * An abstract class, not an interface: while no subclass that overrides a method is loaded
     * (a program without the test tree loads only OFF's), the JIT binds every call to the empty
     * method here through class hierarchy analysis, with no type check at the call site.
     */

    /** No tracing. */
    static final Tracer OFF = new Tracer() {
    };

    /** The calling thread starts operation {@code op} (get, alloc, getOrAlloc, free, freeAll): the spec's Call. */
    void call(String op, Object obj, long id) {
    }

    /** A step starts; its memory accesses follow, then one end or visit. */
    void begin() {
    }

    /**
     * The step ends.
     *
     * @param entry   the entry it is about; for the labels that read a link (a head, a next link,
     *                a search result) null is an observation too
     * @param outcome how it ended, for a step that can end more than one way, else null
     * @param next    the entry a walk step stepped to (outcome "follow" or "nextBucket"), else null
     */
    void end(String label, Object entry, String outcome, Object next) {
    }

    /** A walk step on {@code entry} ends, having read its obj and id fields: "match", or "follow" to {@code next}. */
    void visit(String label, Object entry, Object obj, long id, String outcome, Object next) {
    }

    /** A step whose work ran just before, outside begin/end, is reported whole. */
    void done(String label, Object entry, String outcome) {
    }

    /** Shorthand: a step with no outcome. */
    void end(String label, Object entry) {
        end(label, entry, null, null);
    }
}
