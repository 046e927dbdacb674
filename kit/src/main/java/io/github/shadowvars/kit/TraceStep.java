package io.github.shadowvars.kit;

import java.util.Set;

/**
 * One step of a recorded trace (format: model-check/TRACE.md), as the Java recorder
 * (src/test/java/io/github/shadowvars/StepRecorder.java) records it and as {@link KernelTraceCheck}
 * reads it from a trace file: what the code did at one spec label.
 *
 * @param seq     its position in the global order, from 1
 * @param thread  "t1", "t2", ...: the thread that took it
 * @param label   the spec label (or "Call")
 * @param op      Call only: get, alloc, getOrAlloc, free, freeAll; else null
 * @param obj     Call: the parent object (null for freeAll); a step that read an entry's obj
 *                (and id), or a constructor or destructor call: the obj read or passed ("-":
 *                null); else null
 * @param id      Call: the id; with obj, the id read ({@link TraceTla#NO_ID}: none); else 0
 * @param entry   the entry the step is about (see the label's record in the trace module), 0 = null
 * @param outcome what the step observed, if it can end more than one way ("ok"/"fail",
 *                "match"/"follow"/"nextBucket"/"end", "called"/"notcalled"), else null
 * @param next    g_walk/fa_walk "follow" and "nextBucket": the entry stepped to, 0 = null
 * @param result  a step that returns: the entry whose data the operation returned, 0 = null,
 *                {@link TraceTla#UNKNOWN_ENTRY} no entry's data, {@link TraceTla#UNOBSERVED} not observed
 * @param why     a step that returns: why (as ShadowAtomic's Whys), else null
 */
public record TraceStep(int seq, String thread, String label, String op, Object obj, long id, int entry,
            String outcome, int next, int result, String why) {
    /** The labels whose entry is an observation even when null (a head, a next link, a search result). */
    static final Set<String> OBSERVES_ENTRY =
            Set.of("g_lock", "g_unlock", "a_recheck", "f_walk", "fa_lock", "fa_walk", "fa_next");

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(seq).append(' ').append(thread).append(' ').append(label);
        if (op != null) {
            b.append(' ').append(op).append('(').append(obj == null ? "" : obj + ", ").append(id).append(')');
        }
        if (entry != 0) {
            b.append(" e").append(entry);
        } else if (OBSERVES_ENTRY.contains(label)) {
            b.append(" null");
        }
        if (op == null && obj != null) {
            b.append(" <").append(obj).append(id == TraceTla.NO_ID ? "" : ", " + id).append('>');
        }
        if (outcome != null) {
            b.append(' ').append(outcome);
        }
        if ("follow".equals(outcome) || "nextBucket".equals(outcome)) {
            b.append(" -> ").append(next == 0 ? "null" : "e" + next);
        }
        if (why != null) {
            b.append(" returns ").append(result == TraceTla.UNOBSERVED ? "(unobserved)" : result == 0 ? "null"
                    : result == TraceTla.UNKNOWN_ENTRY ? "(no entry's data)" : "e" + result).append(" (").append(why).append(')');
        }
        return b.toString();
    }
}
