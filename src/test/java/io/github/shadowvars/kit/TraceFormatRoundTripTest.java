package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The trace format's writer ({@link KernelTraceCheck#write}, how the Java recorder's traces reach the
 * verdict checker) against its reader: every field of every kind of step the Java recorder writes
 * reads back the same, but for what the format normalises (SEQ renumbered, threads renamed t1, t2,
 * t3 in order of first step, the RCU callback's thread written "-", objects read back as their
 * names, {@code a_set} not written).
 */
class TraceFormatRoundTripTest {

    @Test
    void everyFieldReadsBackAsWritten() throws Exception {
        Object o1 = new Object();
        Object o2 = new Object();
        Map<Object, String> names = Map.of(o1, "o1", o2, "o2");
        long no = TraceTla.NO_ID;
        int unobserved = TraceTla.UNOBSERVED, unknown = TraceTla.UNKNOWN_ENTRY;
        List<TraceStep> steps = List.of(
                new TraceStep(1, "t3", "rcu_reclaim", null, null, 0, 9, null, 0, 0, null), // the callback's thread named first
                new TraceStep(1, "t1", "Call", "alloc", o1, 1, 0, null, 0, 0, null),
                new TraceStep(2, "t1", "g_lock", null, null, 0, 0, null, 0, 0, null),
                new TraceStep(3, "t1", "a_alloc", null, null, 0, 1, "ok", 0, 0, null),
                new TraceStep(4, "t1", "a_recheck", null, null, no, 0, null, 0, 0, null),
                new TraceStep(5, "t1", "a_set", null, null, 0, 1, null, 0, 0, null),
                new TraceStep(6, "t1", "a_ctor", null, o1, no, 1, "ok", 0, 0, null),
                new TraceStep(7, "t1", "a_publish", null, o1, 1, 1, null, 0, 0, null),
                new TraceStep(8, "t1", "a_unlock", null, null, 0, 1, null, 0, 1, "new"),
                new TraceStep(9, "t4", "Call", "freeAll", null, 2, 0, null, 0, 0, null),
                new TraceStep(10, "t4", "fa_walk", null, o2, 1, 1, "follow", unknown, 0, null),
                new TraceStep(11, "t4", "fa_walk", null, null, no, 0, "nextBucket", 1, 0, null),
                new TraceStep(12, "t4", "fa_walk", null, "-", 0, 1, "match", 0, 0, null),
                new TraceStep(13, "t4", "fa_unlock", null, null, 0, 0, null, 0, unobserved, "done"),
                new TraceStep(14, "t3", "rcu_reclaim", null, null, 0, 1, null, 0, 0, null),
                new TraceStep(15, "t1", "g_unlock", null, null, 0, 1, null, 0, unknown, "value"),
                new TraceStep(16, "t1", "unexpected: a load in phase LOCK", null, null, 0, 0, null, 0, 0, null));
        Path file = Path.of("target", "trace-round-trip.txt");
        Map<String, List<TraceStep>> traces = new LinkedHashMap<>();
        traces.put("round-trip", steps);
        KernelTraceCheck.write(file, traces, names);
        List<KernelTraceCheck.Trace> read = KernelTraceCheck.read(file);
        assertEquals(1, read.size());
        assertEquals("round-trip", read.get(0).name());

        List<TraceStep> expected = new ArrayList<>();
        int seq = 0;
        for (TraceStep s : steps) {
            if (s.label().equals("a_set")) {
                continue;
            }
            Object obj = s.obj() == null ? null : s.obj() instanceof String str ? str : names.get(s.obj());
            // a step that reads no id from an entry is read back with NO_ID; a Call keeps its id
            long id = s.label().equals("Call") ? s.id() : s.obj() == null ? no : s.id();
            String thread = s.label().equals("rcu_reclaim") ? "rcu" : s.thread().equals("t4") ? "t2" : s.thread(); // renamed in order
            expected.add(new TraceStep(++seq, thread,
                    s.label().replaceAll("\\s+", "_"), s.op(), obj, id, s.entry(), s.outcome(),
                    "follow".equals(s.outcome()) || "nextBucket".equals(s.outcome()) ? s.next() : 0,
                    s.why() == null ? unobserved : s.result(), s.why()));
        }
        List<TraceStep> got = read.get(0).steps();
        assertEquals(expected.size(), got.size(), "steps written and read: " + got);
        for (int k = 0; k < expected.size(); k++) {
            assertEquals(expected.get(k), got.get(k), "step " + (k + 1));
        }
    }
}
