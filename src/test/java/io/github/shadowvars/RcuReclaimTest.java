package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.shadowvars.RcuTest.ParkedReader;

/**
 * Issue 16, parts 1 and 2: reclamation never stalls (at most one grace period in flight, callbacks
 * run when the reader that holds them up leaves, with no further call) and the reader registry is
 * bounded by the live threads. Every assertion is a count; waits are latches with a generous guard
 * that only turns a hang into a failure.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard only
class RcuReclaimTest {

    /** Guard for a wait that must end by itself: far longer than any run needs, never a timing check. */
    static final long GUARD_SECONDS = 30;

    @Test
    void aLongReaderMakes1000AllocFreePairsStartOneGracePeriodAndTheQueueDrainsWhenItLeaves() throws Exception {
        Rcu rcu = new Rcu(); // the default reclaimer
        ShadowVariables table = new ShadowVariables(12, rcu, AllocationFaults.NEVER);
        ParkedReader reader = new ParkedReader(rcu).start();
        long before = rcu.gracePeriodsStarted();
        for (int i = 0; i < 1000; i++) {
            Object obj = new Object();
            table.alloc(obj, 1, () -> "x", null);
            table.free(obj, 1, null);
        }
        assertEquals(before + 1, rcu.gracePeriodsStarted(), "grace periods started by 1,000 alloc+free pairs beside one reader");
        assertEquals(1000, rcu.pendingCallbacks(), "the reader holds every reclamation up");
        assertEquals(0, table.stats().reclaimed());
        CountDownLatch drained = new CountDownLatch(1);
        rcu.callRcu(drained::countDown); // queued behind the 1,000 reclamations; runs after them
        reader.leave();                  // and no further call on the table or the domain
        assertTrue(drained.await(GUARD_SECONDS, TimeUnit.SECONDS), "the queue did not drain after the reader left"
                + " (pending " + rcu.pendingCallbacks() + ")");
        assertEquals(1000, table.stats().reclaimed());
        assertEquals(0, rcu.pendingCallbacks());
    }

    @Test
    void callbacksHandedToProcessingRunWhenTheBlockingReaderLeavesWithoutAFurtherCall() throws Exception {
        Rcu rcu = new Rcu();
        ParkedReader reader = new ParkedReader(rcu).start();
        long before = rcu.gracePeriodsStarted();
        CountDownLatch ran = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            rcu.callRcu(ran::countDown);
            rcu.processCallbacksBatched();
        }
        assertEquals(before + 1, rcu.gracePeriodsStarted(), "at most one grace period in flight");
        assertEquals(1000, ran.getCount(), "none ran while the reader was inside");
        reader.leave();
        assertTrue(ran.await(GUARD_SECONDS, TimeUnit.SECONDS), ran.getCount() + " callbacks still queued");
        assertEquals(0, rcu.pendingCallbacks());
    }

    @Test
    void aCallbackWhoseProcessingLostTheRaceToAnotherProcessingCallStillRuns() throws Exception {
        Rcu rcu = new Rcu();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        rcu.callRcu(() -> {
            running.countDown();
            SpeculativeRaceTest.await(release); // holds the domain's callback runner
        });
        Worker first = new Worker("first-processor", rcu::processCallbacks);
        running.await();
        CountDownLatch ran = new CountDownLatch(1);
        rcu.callRcu(ran::countDown);
        assertEquals(0, rcu.processCallbacksBatched(), "another thread is running callbacks: returns at once");
        release.countDown();
        first.join();
        assertTrue(ran.await(GUARD_SECONDS, TimeUnit.SECONDS), "the callback stayed queued with no further call");
        assertEquals(0, rcu.pendingCallbacks());
    }

    @Test
    void recordsOfEndedReaderThreadsAreDroppedWithoutAGarbageCollection() throws Exception {
        Rcu rcu = new Rcu();
        int most = 0;
        for (int i = 0; i < 20_000; i++) {
            Thread t = new Thread(() -> {
                rcu.readLock();
                rcu.readUnlock();
            });
            t.start();
            t.join();
            most = Math.max(most, rcu.readerRecords());
        }
        // At most two registered threads are alive at a time (none, in fact: each has ended at the
        // count), so the registry never reaches more than the pruning floor.
        assertTrue(most <= RcuReaders.MIN_PRUNE_AT, "registry grew to " + most + " records for at most 1 live reader thread");
        assertTrue(rcu.readerRecords() <= RcuReaders.MIN_PRUNE_AT);
    }

    /**
     * Issue 25: a peak of reader threads that all end leaves its records behind until something
     * prunes them; with no registration after the peak, the grace-period scan must (else every
     * scan walks the dead records, and the registry stays at the peak).
     */
    @Test
    void recordsOfEndedReaderThreadsAreDroppedByTheNextGracePeriodScan() throws Exception {
        Rcu rcu = new Rcu();
        int threads = 200;
        CountDownLatch registered = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> readers = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                rcu.readLock();
                rcu.readUnlock();
                registered.countDown();
                SpeculativeRaceTest.await(release); // alive together: registration prunes none of them
            });
            t.start();
            readers.add(t);
        }
        registered.await();
        assertEquals(threads, rcu.readerRecords(), "one record per live reader thread");
        release.countDown();
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(threads, rcu.readerRecords(), "no registration since the peak: nothing has pruned yet");
        rcu.synchronize(); // one grace period: its scan passes every record
        assertEquals(0, rcu.readerRecords(), "records of ended threads left after a grace-period scan");
    }

    @Test
    void inReadSectionSynchronizeAndBarrierRegisterNoRecord() throws Exception {
        Rcu rcu = new Rcu();
        rcu.callRcu(() -> { });
        Worker w = new Worker(() -> {
            assertEquals(false, rcu.inReadSection());
            rcu.synchronize();
            rcu.barrier();
        });
        w.join();
        assertEquals(0, rcu.pendingCallbacks());
        assertEquals(0, rcu.readerRecords(), "a thread that never entered a section has no record");
    }
}
