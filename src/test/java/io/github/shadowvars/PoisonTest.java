package io.github.shadowvars;

import io.github.shadowvars.kit.SeededBugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * A reader stands on an entry inside its read-side section (paused by the read-visit hook) while
 * another thread frees that entry. With the seeded-bug RCU domain (no grace periods) the entry is
 * reclaimed at once and the reader's next access hits the poison; with the real domain the reader
 * finishes normally and reclamation waits until it has left.
 */
@Timeout(60) // hang guard only; no test depends on timing
class PoisonTest {

    static final String READER = "poison-test-reader";

    /** The scenario's shared state: a table whose reader thread pauses on one chosen obj. */
    static final class Scenario {
        final CountDownLatch standing = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        final AtomicReference<Object> readResult = new AtomicReference<>();
        final AtomicReference<Throwable> readFailure = new AtomicReference<>();
        final ShadowVariables table;

        Scenario(Rcu rcu, int bucketBits) {
            // The reader's first stand is on the bucket's head: the scenarios say whose entry that is.
            table = new TracedShadowVariables(bucketBits, rcu, AllocationFaults.NEVER, new RecordingLogger(),
                    new ReaderPause(Tracer.OFF, () -> {
                        if (Thread.currentThread().getName().equals(READER) && standing.getCount() > 0) {
                            standing.countDown();
                            SpeculativeRaceTest.await(resume);
                        }
                    }));
        }

        Thread startReader(Object obj, long id) {
            Thread t = new Thread(() -> {
                try {
                    readResult.set(table.get(obj, id));
                } catch (Throwable e) {
                    readFailure.set(e);
                }
            }, READER);
            t.start();
            return t;
        }
    }

    @Test
    void withoutGracePeriodsTheReaderHitsThePoison() throws Exception {
        SeededBugs.call("RCU_WITHOUT_GRACE_PERIODS", PoisonTest.class.getName(), "withoutGracePeriodsTheReaderHitsThePoisonSeeded");
    }

    /** Run with the seeded bug RCU_WITHOUT_GRACE_PERIODS in place (see {@link SeededBugs#call}). */
    static void withoutGracePeriodsTheReaderHitsThePoisonSeeded() throws Exception {
        Scenario s = new Scenario(new Rcu(), 12);
        Object obj = new Object();
        s.table.alloc(obj, 1, () -> "data", null);
        // the reader will first stand on obj's entry, the head of its bucket
        Thread reader = s.startReader(obj, 1);
        s.standing.await();                       // the reader is inside get, standing on the entry
        s.table.free(obj, 1, null);               // unlink + callRcu; the broken domain reclaims at once
        assertEquals(1, s.table.stats().reclaimed());
        s.resume.countDown();
        reader.join();
        assertTrue(s.readFailure.get() instanceof UseAfterReclaimError, "got " + s.readFailure.get());
        assertEquals(1, s.table.stats().poisonedReads());
        assertNull(s.readResult.get());
    }

    @Test
    void withRealRcuTheReaderFinishesAndReclamationWaitsForIt() throws Exception {
        Scenario s = new Scenario(ManualExecutor.rcu(new ManualExecutor()), 12); // no reclaimer races with the counts below
        Object obj = new Object();
        String data = s.table.alloc(obj, 1, () -> "data", null);
        // the reader will first stand on obj's entry, the head of its bucket
        Thread reader = s.startReader(obj, 1);
        s.standing.await();
        s.table.free(obj, 1, null);
        assertNull(s.table.get(obj, 1), "unlinked for new readers");
        assertEquals(0, s.table.stats().reclaimed(), "the reader is still inside: no reclamation");
        assertEquals(1, s.table.rcu().pendingCallbacks());
        assertEquals(0, s.table.rcu().processCallbacks());
        s.resume.countDown();
        reader.join();
        assertNull(s.readFailure.get());
        assertSame(data, s.readResult.get(), "the reader that stood on the entry still got its data");
        assertEquals(1, s.table.rcu().processCallbacks(), "the reader has left: the grace period is over");
        assertEquals(new Stats(1, 1, 0, 1, 1, 0), s.table.stats());
    }

    @Test
    void withoutADomainTheReaderFinishesOnTheFreedEntryAndTheGcFreesItAfterwards() throws Exception {
        Scenario s = new Scenario(null, 12); // the GC flavour: readers announce nothing
        Object obj = new Object();
        s.table.alloc(obj, 1, () -> new StringBuilder("data"), null);
        Thread reader = s.startReader(obj, 1);
        s.standing.await();                       // the reader stands on the entry, no read-side section
        s.table.free(obj, 1, null);
        assertNull(s.table.get(obj, 1), "unlinked for new readers");
        s.resume.countDown();
        reader.join();
        assertNull(s.readFailure.get());
        assertEquals("data", String.valueOf(s.readResult.get()), "the reader still got the data: nothing was poisoned");
        assertEquals(new Stats(1, 1, 0, 1, 1, 0), s.table.stats(), "counted reclaimed at removal");
        // Nothing in the table still holds the data: once the reader lets go, the GC frees it.
        WeakReference<Object> data = new WeakReference<>(s.readResult.getAndSet(null));
        for (int i = 0; i < 100 && data.get() != null; i++) {
            System.gc();
        }
        assertNull(data.get(), "the freed data is still reachable after 100 System.gc() calls: something holds it");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Flavour.class)
    void aReaderStandingOnAnUnlinkedEntryContinuesThroughItsKeptNextLink(Flavour flavour) throws Exception {
        Scenario s = new Scenario(flavour.newRcu(), 0); // one bucket: newest first, so [second, first]
        Object first = new Object();
        Object second = new Object();
        s.table.alloc(first, 1, () -> "first", null);
        s.table.alloc(second, 1, () -> "second", null);
        // the reader will first stand on second's entry, the head of its bucket
        Thread reader = s.startReader(first, 1); // looks for first, passes over second
        s.standing.await();
        s.table.free(second, 1, null);           // unlink the entry the reader stands on
        s.resume.countDown();
        reader.join();
        assertNull(s.readFailure.get());
        assertEquals("first", s.readResult.get());
        s.table.barrier();
        assertEquals(new Stats(2, 2, 0, 1, 1, 0), s.table.stats());
    }

    /**
     * Issue 25: reclaim must keep the entry's obj. A reader of a broken domain that loaded
     * {@code reclaimed == false} just before the reclaim ran reads obj and data next (there is no
     * trace point between the poison check and the compare, so the test does not race one: it
     * reads what such a reader reads after the reclaim). With obj cleared, the compare fails, the
     * reader follows the kept link and get returns null silently; with obj kept, it matches and
     * its read of the data hits the poison.
     */
    @Test
    void aReclaimedEntryKeepsItsObjSoAReaderPastThePoisonCheckStillHitsThePoison() throws Exception {
        AtomicReference<Object> published = new AtomicReference<>();
        Tracer capture = new Tracer() {
            @Override
            void published(Object entry) {
                published.set(entry);
            }
        };
        ShadowVariables t = new TracedShadowVariables(12, ManualExecutor.rcu(new ManualExecutor()), AllocationFaults.NEVER,
                new RecordingLogger(), capture);
        Object obj = new Object();
        t.alloc(obj, 1, () -> "data", null);
        t.free(obj, 1, null);
        t.barrier();
        assertEquals(1, t.stats().reclaimed());
        Object entry = published.get();
        assertEquals(true, field(entry, "reclaimed"));
        assertSame(obj, field(entry, "obj"), "reclaim cleared obj: a reader past the poison check compares obj,"
                + " finds no match and returns null silently instead of hitting the poison");
        // That reader's next step on a match: its read of the data (dataOf) reports the use after reclaim.
        java.lang.reflect.Method dataOf = ShadowVariables.class.getDeclaredMethod("dataOf", entry.getClass());
        dataOf.setAccessible(true);
        java.lang.reflect.InvocationTargetException thrown = org.junit.jupiter.api.Assertions.assertThrows(
                java.lang.reflect.InvocationTargetException.class, () -> dataOf.invoke(t, entry));
        assertTrue(thrown.getCause() instanceof UseAfterReclaimError, "got " + thrown.getCause());
        assertEquals(1, t.stats().poisonedReads());
    }

    static Object field(Object o, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field f = o.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(o);
    }

    @Test
    void withoutGracePeriodsAReaderPassingOverAFreedEntryHitsThePoison() throws Exception {
        SeededBugs.call("RCU_WITHOUT_GRACE_PERIODS", PoisonTest.class.getName(), "withoutGracePeriodsAReaderPassingOverAFreedEntryHitsThePoisonSeeded");
    }

    /** Run with the seeded bug RCU_WITHOUT_GRACE_PERIODS in place (see {@link SeededBugs#call}). */
    static void withoutGracePeriodsAReaderPassingOverAFreedEntryHitsThePoisonSeeded() throws Exception {
        Scenario s = new Scenario(new Rcu(), 0);
        Object first = new Object();
        Object second = new Object();
        s.table.alloc(first, 1, () -> "first", null);
        s.table.alloc(second, 1, () -> "second", null);
        // the reader will first stand on second's entry, the head of its bucket
        Thread reader = s.startReader(first, 1);
        s.standing.await();
        s.table.free(second, 1, null);
        s.resume.countDown();
        reader.join();
        assertTrue(s.readFailure.get() instanceof UseAfterReclaimError, "got " + s.readFailure.get());
    }
}
