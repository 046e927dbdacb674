package io.github.shadowvars;

import io.github.shadowvars.kit.SeededBugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Weak keys (issue 26), single-threaded but for the reader racing an expunge: the collection of an
 * object is simulated by {@link TestTables#collect} (its weak keys cleared and enqueued, as the
 * collector does), never waited for, except in the one real-collector test, whose only timing is a
 * guard that turns a hang into a failure.
 */
@Timeout(60) // hang guard only; no test depends on timing
class WeakKeysTest {

    /** (obj, data) pairs a destructor was called with. */
    final List<String> dtorCalls = new ArrayList<>();

    Destructor<Object> dtor(String objName) {
        return (o, d) -> dtorCalls.add(objName + "=" + d);
    }

    static ShadowVariables weak(Flavour f, int bucketBits) {
        return new ShadowVariables(bucketBits, f.newRcu(), AllocationFaults.NEVER, Keys.WEAK);
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aLiveObjectsVariablesBehaveAsInTheStrongTable(Flavour f) {
        for (int bits : new int[] {0, 4}) {
            List<String> results = new ArrayList<>();
            for (Keys keys : Keys.values()) {
                ShadowVariables t = new ShadowVariables(bits, f.newRcu(), AllocationFaults.NEVER, keys);
                List<String> r = new ArrayList<>();
                Object a = new Object(), b = new Object();
                Consumer<Object> add = v -> r.add(String.valueOf(v));
                add.accept(t.alloc(a, 1, () -> "a1", null));
                add.accept(t.alloc(a, 1, () -> "dup", null));
                add.accept(t.getOrAlloc(a, 1, () -> "no", null));
                add.accept(t.getOrAlloc(b, 1, () -> "b1", (o, d) -> 0));
                add.accept(t.alloc(a, 2, () -> "a2", null));
                add.accept(t.get(a, 2));
                add.accept(t.get(b, 2));
                t.free(a, 2, (o, d) -> r.add("dtor " + (o == a) + " " + d));
                add.accept(t.get(a, 2));
                List<String> freed = new ArrayList<>();
                t.freeAll(1, (o, d) -> freed.add("dtor " + (o == a ? "a" : o == b ? "b" : "?") + " " + d));
                freed.sort(null);                                  // the order of the buckets: of identity hashes
                r.addAll(freed);
                add.accept(t.get(a, 1));
                add.accept(t.expunge());
                Stats s = t.stats();
                r.add(s.published() + " " + s.unlinked() + " " + s.live() + " " + s.expunged());
                results.add(String.join(", ", r));
            }
            assertEquals(results.get(0), results.get(1), "strong then weak, " + (1 << bits) + " buckets");
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aDeadObjectsVariablesDisappearOnExpungeWithoutADestructorCall(Flavour f) {
        ShadowVariables t = weak(f, 0);
        Object dead = new Object(), live = new Object();
        t.alloc(dead, 1, () -> "d1", null);
        t.alloc(dead, 2, () -> "d2", null);
        t.alloc(live, 1, () -> "l1", null);
        assertEquals(2, TestTables.collect(t, dead));
        assertNull(t.get(dead, 1), "a dead object's variable is not found (an observation only)");
        assertEquals(3, t.stats().live(), "stale entries stay linked until a write or expunge()");
        assertEquals(2, t.expunge());
        assertEquals(0, t.expunge());
        assertEquals("l1", t.get(live, 1));
        Stats s = t.stats();
        assertEquals(1, s.live());
        assertEquals(2, s.unlinked());
        assertEquals(2, s.expunged());
        t.freeAll(1, dtor("?"));
        t.freeAll(2, dtor("?"));
        assertEquals(List.of("?=l1"), dtorCalls, "no destructor for the dead object's entries");
    }

    @Test
    void expungeFromAConstructorOrDestructorIsRefused() {
        ShadowVariables t = weak(Flavour.CHECKED, 0);
        Object o = new Object();
        AtomicReference<Throwable> fromCtor = new AtomicReference<>();
        t.alloc(o, 1, () -> "x", (obj, d) -> {
            try {
                t.expunge();
            } catch (Throwable e) {
                fromCtor.set(e);
            }
            return 0;
        });
        assertTrue(fromCtor.get() instanceof IllegalStateException, "got " + fromCtor.get());
        AtomicReference<Throwable> fromDtor = new AtomicReference<>();
        t.free(o, 1, (obj, d) -> {
            try {
                t.expunge();
            } catch (Throwable e) {
                fromDtor.set(e);
            }
        });
        assertTrue(fromDtor.get() instanceof IllegalStateException, "got " + fromDtor.get());
        assertEquals(0, t.stats().live());
    }

    @Test
    void onAStrongTableExpungeDoesNothing() {
        ShadowVariables t = new ShadowVariables(0, new Rcu(), AllocationFaults.NEVER);
        Object o = new Object();
        t.alloc(o, 1, () -> "x", null);
        assertTrue(TestTables.weakKeys(t, o).isEmpty());
        assertEquals(0, t.expunge());
        assertEquals(1, t.stats().live());
    }

    /** The writes that expunge first, each on a key other than the dead object's. */
    enum Write {
        ALLOC, GET_OR_ALLOC_CREATES, FREE, FREE_ALL;

        void run(ShadowVariables t, Object other) {
            switch (this) {
                case ALLOC -> t.alloc(other, 9, () -> "new", null);
                case GET_OR_ALLOC_CREATES -> t.getOrAlloc(other, 9, () -> "new", null);
                case FREE -> t.free(other, 1, null);
                case FREE_ALL -> t.freeAll(7, null);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Write.class)
    void everyWriteExpungesUnderItsLock(Write w) {
        for (Flavour f : Flavour.values()) {
            ShadowVariables t = weak(f, 0);
            Object dead = new Object(), other = new Object();
            t.alloc(dead, 1, () -> "d1", (o, d) -> 0);
            t.alloc(dead, 2, () -> "d2", null);
            t.alloc(other, 1, () -> "o1", null);
            TestTables.collect(t, dead);
            w.run(t, other);
            assertEquals(2, t.stats().expunged(), w + " on " + f);
            assertEquals(0, t.expunge(), w + " on " + f + ": nothing left to expunge");
        }
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void readsNeverExpunge(Flavour f) {
        ShadowVariables t = weak(f, 0);
        Object dead = new Object(), other = new Object();
        t.alloc(dead, 1, () -> "d1", null);
        t.alloc(other, 1, () -> "o1", null);
        TestTables.collect(t, dead);
        for (int i = 0; i < 3; i++) {
            assertEquals("o1", t.get(other, 1));
            assertEquals("o1", t.getOrAlloc(other, 1, () -> "no", null), "getOrAlloc of an existing key: a get");
            assertNull(t.alloc(other, 1, () -> "no", null), "alloc of an existing key: the lock-free pre-check");
        }
        assertEquals(0, t.stats().expunged(), "a read-only table keeps its dead entries");
        assertEquals(2, t.stats().live());
        assertEquals(1, t.expunge());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void freeAllUnlinksAnEntryWhoseObjectDiedWithoutADestructorCall(Flavour f) {
        ShadowVariables t = weak(f, 0);
        Object dead = new Object(), live = new Object();
        t.alloc(dead, 1, () -> "d1", null);
        t.alloc(live, 1, () -> "l1", null);
        List<Reference<?>> keys = TestTables.clearOnly(t, dead); // cleared, not yet reported
        assertEquals(1, keys.size());
        t.freeAll(1, dtor("live"));
        assertEquals(List.of("live=l1"), dtorCalls, "the destructor only for the live object's entry");
        Stats s = t.stats();
        assertEquals(0, s.live());
        assertEquals(2, s.unlinked());
        assertEquals(1, s.expunged());
        keys.forEach(Reference::enqueue);                            // reported after it was unlinked
        assertEquals(0, t.expunge(), "unlinked at most once");
        assertEquals(2, t.stats().unlinked());
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void anEntryFreedThenReportedIsUnlinkedOnce(Flavour f) {
        ShadowVariables t = weak(f, 0);
        Object o = new Object(), other = new Object();
        t.alloc(o, 1, () -> "x", null);
        t.alloc(other, 1, () -> "y", null);
        List<Reference<?>> keys = TestTables.weakKeys(t, o);
        t.free(o, 1, dtor("o"));
        assertEquals(List.of("o=x"), dtorCalls);
        keys.forEach(Reference::enqueue);                            // o dies after its variable was freed
        assertEquals(0, t.expunge(), "already unlinked by free: skipped");
        t.alloc(other, 2, () -> "z", null);
        Stats s = t.stats();
        assertEquals(1, s.unlinked());
        assertEquals(0, s.expunged());
        assertEquals(2, s.live());
        assertEquals("y", t.get(other, 1));
    }

    @Test
    void aConstructorFailureLeavesNothingToExpunge() {
        ShadowVariables t = weak(Flavour.CHECKED, 0);
        Object o = new Object();
        assertNull(t.alloc(o, 1, () -> "x", (obj, d) -> -12), "constructor error: nothing published");
        assertEquals(0, TestTables.collect(t, o), "no linked entry holds o");
        assertEquals(new Stats(1, 0, 1, 0, 0, 0, 0), t.stats());
    }

    /**
     * The collector clears a key at once and the reference handler enqueues it later: until then
     * an expunge does not see the entry (the spec's x_walk may stop with stale entries linked), a
     * reader of another key walks past it, and the next expunge after the report unlinks it.
     */
    @ParameterizedTest
    @EnumSource(Flavour.class)
    void aKeyClearedButNotYetReportedIsExpungedOnceReported(Flavour f) {
        ShadowVariables t = weak(f, 0);
        Object dead = new Object(), live = new Object();
        t.alloc(dead, 1, () -> "d", null);
        t.alloc(live, 1, () -> "l", null);
        List<Reference<?>> keys = TestTables.clearOnly(t, dead);
        assertEquals(1, keys.size());
        assertEquals(0, t.expunge(), "cleared, not yet enqueued: not seen");
        assertEquals("l", t.get(live, 1), "a reader walks past the stale entry");
        assertEquals(2, t.stats().live(), "the stale entry is still linked");
        keys.forEach(Reference::enqueue);
        assertEquals(1, t.expunge(), "reported: unlinked");
        assertEquals(0, t.expunge(), "unlinked once");
        Stats s = t.stats();
        assertEquals(1, s.live());
        assertEquals(1, s.expunged());
        assertEquals("l", t.get(live, 1));
    }

    /**
     * Checked flavour: a reader of another key standing on the dead object's entry while it is
     * expunged goes on along the kept next link; the entry is reclaimed (poisoned) only after the
     * reader has left its read-side section.
     */
    @Test
    void anExpungedEntryIsReclaimedAfterAGracePeriodAndAReaderOnItIsSafe() throws Exception {
        CountDownLatch standing = new CountDownLatch(1), resume = new CountDownLatch(1);
        String readerName = "weak-keys-reader";
        ShadowVariables t = TestTables.pausingReaders(0, new Rcu(), Keys.WEAK, new RecordingLogger(), () -> {
            if (Thread.currentThread().getName().equals(readerName) && standing.getCount() > 0) {
                standing.countDown();
                SpeculativeRaceTest.await(resume);
            }
        });
        Object live = new Object(), dead = new Object();
        t.alloc(live, 1, () -> "l1", null);
        t.alloc(dead, 1, () -> "d1", null);                   // the bucket: dead -> live
        ShadowVariables.Entry deadEntry = entryOf(t, dead);
        AtomicReference<Object> read = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                read.set(t.get(live, 1));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, readerName);
        reader.start();
        standing.await();                                       // the reader stands on dead's entry, the head
        TestTables.collect(t, dead);
        assertEquals(1, t.expunge());
        assertFalse(t.rcu().synchronize(java.time.Duration.ofMillis(50)), "the grace period waits for the reader");
        assertEquals(0, t.stats().reclaimed(), "not reclaimed while the reader stands on it");
        assertFalse(deadEntry.reclaimed);
        resume.countDown();
        reader.join();
        assertNull(failure.get());
        assertEquals("l1", read.get(), "the reader went on along the kept next link");
        t.barrier();
        assertEquals(1, t.stats().reclaimed());
        assertTrue(deadEntry.reclaimed, "poisoned after the grace period");
        assertEquals(0, t.stats().poisonedReads());
    }

    static ShadowVariables.Entry entryOf(ShadowVariables t, Object obj) {
        List<Reference<?>> keys = TestTables.weakKeys(t, obj);
        assertEquals(1, keys.size());
        try {
            java.lang.reflect.Field f = ShadowVariables.class.getDeclaredField("buckets");
            f.setAccessible(true);
            var buckets = (java.util.concurrent.atomic.AtomicReferenceArray<?>) f.get(t);
            for (int b = 0; b < buckets.length(); b++) {
                for (var e = (ShadowVariables.Entry) buckets.get(b); e != null; e = e.next) {
                    if (e.obj == keys.get(0)) {
                        return e;
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no entry");
    }

    /**
     * The real collector, both flavours: the object dropped, its variable's data becomes
     * collectable after the expunge (and, checked, the grace period). The only timing is the
     * guard: System.gc() is asked again until the collector has cleared the references, for at
     * most 60 s, after which the test fails instead of hanging.
     */
    @Test
    @Timeout(180)
    void withTheRealCollectorTheDataBecomesCollectable() throws Exception {
        for (Flavour f : Flavour.values()) {
            ShadowVariables t = weak(f, 4);
            Object keep = new Object();
            t.alloc(keep, 1, () -> "kept", null);
            WeakReference<Object> data = allocDropped(t);
            long deadline = System.nanoTime() + 60_000_000_000L;
            int expunged = 0;
            while (expunged == 0) {
                if (System.nanoTime() > deadline) {
                    fail(f + ": the collector did not clear the dropped object in 60 s (the hang guard)");
                }
                System.gc();
                expunged = t.expunge();
            }
            assertEquals(1, expunged, f.toString());
            t.barrier();
            while (data.get() != null) {
                if (System.nanoTime() > deadline) {
                    fail(f + ": the expunged variable's data was not collected in 60 s (the hang guard)");
                }
                System.gc();
            }
            assertEquals("kept", t.get(keep, 1));
            assertEquals(new Stats(2, 2, 0, 1, 1, 0, 1), t.stats(), f.toString());
        }
    }

    /**
     * Trace validation does not cover weak keys yet: the recorder must reject, never pass, a trace
     * with the weak variant's steps (a write's queue poll on a weak table, an expunge() call).
     */
    @Test
    void theTraceRecorderFlagsTheWeakVariantsStepsAsUnexpected() {
        StepRecorder weakRec = new StepRecorder(new Rcu());
        ShadowVariables weakTable = new TracedShadowVariables(0, weakRec.rcu(), AllocationFaults.NEVER, Keys.WEAK, new RecordingLogger(), weakRec);
        weakTable.alloc(new Object(), 1, () -> "x", null);
        assertTrue(weakRec.steps().stream().anyMatch(s -> s.label().startsWith("unexpected: ReferenceQueue.poll")),
                TraceCheckTest.show(weakRec.steps(), weakRec.steps().size()));

        StepRecorder strongRec = new StepRecorder(new Rcu());
        ShadowVariables strongTable = new TracedShadowVariables(0, strongRec.rcu(), AllocationFaults.NEVER, new RecordingLogger(), strongRec);
        strongTable.alloc(new Object(), 1, () -> "x", null);
        assertTrue(strongRec.steps().stream().noneMatch(s -> s.label().startsWith("unexpected")),
                TraceCheckTest.show(strongRec.steps(), strongRec.steps().size()));
        strongTable.expunge();
        assertTrue(strongRec.steps().stream().anyMatch(s -> s.label().startsWith("unexpected: expunge")),
                TraceCheckTest.show(strongRec.steps(), strongRec.steps().size()));
    }

    // The weak flavour's seeded bugs (src/test/seeded-bugs/EXPUNGE_*.diff, FREEALL_DTOR_ON_DEAD.diff):
    // each scenario returns null on the real classes and what went wrong on the broken ones.

    /** An expunge unlinks the dead object's entry, not the live one in front of it. */
    static String expungeKeepsLiveVariables() {
        ShadowVariables t = weak(Flavour.CHECKED, 0);
        Object dead = new Object(), live = new Object();
        t.alloc(dead, 1, () -> "d1", null);
        t.alloc(live, 1, () -> "l1", null);                  // the bucket: live -> dead
        TestTables.collect(t, dead);
        int n = t.expunge();
        Object got = t.get(live, 1);
        return n == 1 && "l1".equals(got) ? null : "expunge() returned " + n + " and the live object's variable reads " + got;
    }

    /** A tracer that counts hash_del_rcu events while no lock event is open (one thread). */
    static final class UnlinkWatch extends Tracer {
        int held, unlinkedOutside, unlinked;

        @Override
        void locked() {
            held++;
        }

        @Override
        void unlocked() {
            held--;
        }

        @Override
        void unlinked(Object entry) {
            unlinked++;
            if (held == 0) {
                unlinkedOutside++;
            }
        }
    }

    /** Every expunge unlinks under the writer lock: expunge() and a write's. */
    static String expungeUnlinksUnderTheLock() {
        UnlinkWatch watch = new UnlinkWatch();
        ShadowVariables t = new TracedShadowVariables(0, new Rcu(), AllocationFaults.NEVER, Keys.WEAK, new RecordingLogger(), watch);
        Object a = new Object(), b = new Object(), live = new Object();
        t.alloc(a, 1, () -> "a", null);
        t.alloc(b, 1, () -> "b", null);
        TestTables.collect(t, a);
        t.expunge();
        TestTables.collect(t, b);
        t.alloc(live, 1, () -> "l", null);
        return watch.unlinked == 2 && watch.unlinkedOutside == 0 ? null
                : watch.unlinkedOutside + " of " + watch.unlinked + " unlinks outside the writer lock";
    }

    /** freeAll meeting an entry whose object died calls no destructor for it. */
    static String noDestructorForADeadObjectsEntry() {
        ShadowVariables t = weak(Flavour.CHECKED, 0);
        Object dead = new Object(), live = new Object();
        t.alloc(dead, 1, () -> "d1", null);
        t.alloc(live, 1, () -> "l1", null);
        TestTables.clearOnly(t, dead);
        List<String> calls = new ArrayList<>();
        t.freeAll(1, (o, d) -> calls.add((o == live ? "live" : String.valueOf(o)) + "=" + d));
        return calls.equals(List.of("live=l1")) && t.stats().live() == 0 ? null
                : "destructor calls " + calls + ", " + t.stats().live() + " variables left";
    }

    @Test
    void theSeededBugScenariosPassOnTheRealClasses() {
        assertNull(expungeKeepsLiveVariables());
        assertNull(expungeUnlinksUnderTheLock());
        assertNull(noDestructorForADeadObjectsEntry());
    }

    /** Seeded bug EXPUNGE_DROPS_LIVE: the expunge's walk unlinks the bucket's first entry, dead or live. */
    @Test
    void seededExpungeThatDropsALiveEntryIsCaught() throws Exception {
        seeded("EXPUNGE_DROPS_LIVE", "expungeKeepsLiveVariables");
    }

    /** Seeded bug EXPUNGE_OUTSIDE_LOCK: expunge() walks and unlinks without the writer lock. */
    @Test
    void seededExpungeOutsideTheLockIsCaught() throws Exception {
        seeded("EXPUNGE_OUTSIDE_LOCK", "expungeUnlinksUnderTheLock");
    }

    /** Seeded bug FREEALL_DTOR_ON_DEAD: freeAll destroys an entry whose object died as if it were live. */
    @Test
    void seededDestructorForADeadObjectsEntryIsCaught() throws Exception {
        seeded("FREEALL_DTOR_ON_DEAD", "noDestructorForADeadObjectsEntry");
    }

    private static void seeded(String bug, String scenario) throws Exception {
        Object caught = SeededBugs.call(bug, WeakKeysTest.class.getName(), scenario);
        assertNotNull(caught, bug + " passed " + scenario);
        System.out.println("[weak keys] seeded bug " + bug + " caught by " + scenario + ": " + caught);
        CheckSummary.figures(WeakKeysTest.class, bug + " caught by " + scenario + ": " + caught);
    }

    /** Allocates a variable on an object and data no one else holds; returns a weak reference to the data. */
    private static WeakReference<Object> allocDropped(ShadowVariables t) {
        Object obj = new Object();
        Object data = new StringBuilder("dropped");
        t.alloc(obj, 1, () -> data, null);
        return new WeakReference<>(data);
    }
}
