package io.github.shadowvars;

import io.github.shadowvars.kit.SeededBugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The RCU domain on its own. Threads hand over with latches; nothing sleeps or depends on timing. */
@Timeout(60) // hang guard only (a grace period that never ends would block a join forever)
class RcuTest {

    /** A thread that enters a read-side section, reports it, and leaves when released. */
    static final class ParkedReader {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        ParkedReader(Rcu rcu) {
            thread = new Thread(() -> {
                rcu.readLock();
                inside.countDown();
                SpeculativeRaceTest.await(release);
                rcu.readUnlock();
            });
        }

        ParkedReader start() throws InterruptedException {
            thread.start();
            inside.await();
            return this;
        }

        void leave() throws InterruptedException {
            release.countDown();
            thread.join();
        }
    }

    @Test
    void sectionsNest() {
        Rcu rcu = new Rcu();
        assertFalse(rcu.inReadSection());
        rcu.readLock();
        rcu.readLock();
        rcu.readUnlock();
        assertTrue(rcu.inReadSection(), "still inside the outer section");
        assertThrows(IllegalStateException.class, rcu::synchronize, "the outer section still counts");
        rcu.readUnlock();
        assertFalse(rcu.inReadSection());
        rcu.synchronize();
    }

    @Test
    void readUnlockWithoutReadLockIsRefused() {
        Rcu rcu = new Rcu();
        IllegalStateException e = assertThrows(IllegalStateException.class, rcu::readUnlock);
        assertTrue(e.getMessage().contains("readUnlock without a matching readLock"));
        rcu.readLock();
        rcu.readUnlock();
        assertThrows(IllegalStateException.class, rcu::readUnlock);
        assertFalse(rcu.inReadSection());
    }

    @Test
    void synchronizeAndBarrierInsideAReadSectionAreRefused() {
        Rcu rcu = new Rcu();
        rcu.callRcu(() -> { });
        rcu.readLock();
        assertTrue(assertThrows(IllegalStateException.class, rcu::synchronize).getMessage().startsWith("synchronize"));
        assertTrue(assertThrows(IllegalStateException.class, rcu::barrier).getMessage().startsWith("barrier"));
        assertTrue(rcu.inReadSection(), "the refused calls left the section as it was");
        assertEquals(1, rcu.pendingCallbacks());
        rcu.readUnlock();
        rcu.barrier();
        assertEquals(0, rcu.pendingCallbacks());
    }

    /**
     * A domain that reports every wait for a reader at once (a stall threshold of 1 ns):
     * {@code waiting} counts down when a waiter first finds a reader it has to wait for.
     */
    static Rcu reportingWaits(CountDownLatch waiting) {
        RcuStallTest.LatchLogger onWarning = new RcuStallTest.LatchLogger() {
            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                if (level == Level.WARNING) {
                    waiting.countDown();
                }
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                if (level == Level.WARNING) {
                    waiting.countDown();
                }
            }
        };
        return new Rcu(java.util.concurrent.ForkJoinPool.commonPool(), System::nanoTime, 1, onWarning);
    }

    @Test
    void synchronizeWaitsForAReaderThatIsInside() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Rcu rcu = reportingWaits(waiting);
        ParkedReader reader = new ParkedReader(rcu).start();
        Worker sync = new Worker(rcu::synchronize);
        waiting.await(); // the synchronizer's scan found the reader inside and started waiting
        assertFalse(sync.returned.get(), "synchronize returned while an older reader was inside");
        reader.leave();
        sync.join();
    }

    @Test
    void synchronizeDoesNotWaitForReadersThatEnteredAfterItStarted() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Rcu rcu = reportingWaits(waiting);
        ParkedReader old = new ParkedReader(rcu).start();
        Worker sync = new Worker(rcu::synchronize);
        waiting.await();        // the grace period has started (the epoch was incremented before the wait)
        rcu.readLock();         // this thread enters after the start
        old.leave();
        sync.join();            // completes although this thread is still inside
        assertTrue(rcu.inReadSection());
        rcu.readUnlock();
    }

    @Test
    void domainsAreIndependent() {
        Rcu a = new Rcu();
        Rcu b = new Rcu();
        a.readLock();
        b.synchronize(); // would throw (same thread inside) or hang if the domains shared readers
        b.callRcu(() -> { });
        b.barrier();
        assertEquals(0, b.pendingCallbacks());
        a.readUnlock();
    }

    @Test
    void callbacksNeverRunInsideCallRcuAndRunInQueueOrder() {
        Rcu rcu = new Rcu();
        List<String> ran = new ArrayList<>();
        rcu.callRcu(() -> ran.add("a"));
        rcu.callRcu(() -> ran.add("b"));
        rcu.callRcu(() -> ran.add("c"));
        assertEquals(List.of(), ran);
        assertEquals(3, rcu.pendingCallbacks());
        assertEquals(3, rcu.processCallbacks());
        assertEquals(List.of("a", "b", "c"), ran);
        assertEquals(0, rcu.pendingCallbacks());
        assertEquals(0, rcu.processCallbacks());
    }

    @Test
    void callbacksWaitForReadersThatWereInsideWhenTheyWereQueued() throws Exception {
        Rcu rcu = ManualExecutor.rcu(new ManualExecutor()); // no reclaimer races with the counts below
        ParkedReader old = new ParkedReader(rcu).start();
        List<String> ran = new CopyOnWriteArrayList<>();
        rcu.callRcu(() -> ran.add("x"));
        assertEquals(0, rcu.processCallbacks(), "the old reader is inside");
        assertEquals(List.of(), ran);
        // A reader entering now (after the callback's grace period started) does not hold it back.
        rcu.readLock();
        old.leave();
        assertEquals(1, rcu.processCallbacks());
        assertEquals(List.of("x"), ran);
        // A callback queued while this thread is inside waits for it.
        rcu.callRcu(() -> ran.add("y"));
        assertEquals(0, rcu.processCallbacks());
        rcu.readUnlock();
        assertEquals(1, rcu.processCallbacks());
        assertEquals(List.of("x", "y"), ran);
    }

    @Test
    void barrierWaitsForAnOldReaderAndRunsEveryQueuedCallback() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        Rcu rcu = reportingWaits(waiting);
        ParkedReader old = new ParkedReader(rcu).start();
        List<String> ran = new CopyOnWriteArrayList<>();
        rcu.callRcu(() -> ran.add("a"));
        rcu.callRcu(() -> ran.add("b"));
        Worker barrier = new Worker(rcu::barrier);
        waiting.await();
        assertFalse(barrier.returned.get());
        assertEquals(List.of(), ran);
        old.leave();
        barrier.join();
        assertEquals(List.of("a", "b"), ran);
        assertEquals(0, rcu.pendingCallbacks());
    }

    @Test
    void barrierWithNothingQueuedReturns() {
        Rcu rcu = new Rcu();
        rcu.barrier();
        assertEquals(0, rcu.pendingCallbacks());
    }

    @Test
    void failingCallbacksDoNotStopTheOthersAndTheFirstFailureIsThrown() {
        for (boolean viaBarrier : new boolean[]{false, true}) {
            Rcu rcu = new Rcu();
            List<String> ran = new ArrayList<>();
            RuntimeException first = new RuntimeException("first");
            Error second = new AssertionError("second");
            rcu.callRcu(() -> {
                ran.add("1");
                throw first;
            });
            rcu.callRcu(() -> ran.add("2"));
            rcu.callRcu(() -> {
                ran.add("3");
                throw second;
            });
            RuntimeException thrown = assertThrows(RuntimeException.class,
                    viaBarrier ? rcu::barrier : rcu::processCallbacks);
            assertSame(first, thrown);
            assertEquals(List.of(second), List.of(thrown.getSuppressed()));
            assertEquals(List.of("1", "2", "3"), ran);
            assertEquals(0, rcu.pendingCallbacks());
        }
    }

    @Test
    void waitingIgnoresInterruptsAndKeepsTheInterruptStatus() throws Exception {
        for (boolean viaBarrier : new boolean[]{false, true}) {
            CountDownLatch waiting = new CountDownLatch(1);
            Rcu rcu = reportingWaits(waiting);
            ParkedReader old = new ParkedReader(rcu).start();
            AtomicBoolean callbackRan = new AtomicBoolean();
            rcu.callRcu(() -> callbackRan.set(true));
            AtomicBoolean interruptedAfter = new AtomicBoolean();
            Worker w = new Worker(() -> {
                Thread.currentThread().interrupt();
                if (viaBarrier) {
                    rcu.barrier();
                } else {
                    rcu.synchronize();
                }
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            });
            waiting.await();          // it waits although its interrupt status is set
            w.thread.interrupt();     // and a further interrupt while waiting does not stop it either
            assertFalse(w.returned.get());
            old.leave();
            w.join();
            assertTrue(interruptedAfter.get(), "the interrupt status was preserved");
            assertEquals(viaBarrier, callbackRan.get());
        }
    }

    @Test
    void aThreadThatDiedInsideASectionDoesNotBlockGracePeriods() throws Exception {
        Rcu rcu = new Rcu();
        Thread t = new Thread(rcu::readLock); // terminates without readUnlock (a caller bug)
        t.start();
        t.join();
        rcu.synchronize();
        rcu.callRcu(() -> { });
        assertEquals(1, rcu.processCallbacks());
    }

    /**
     * Issue 25: the value the domain's ThreadLocal leaves in a reader thread is of a JDK class
     * (loaded by the bootstrap loader), so a pooled container thread that outlives the application
     * does not pin the application's class loader (Tomcat's "created a ThreadLocal ... value of
     * type ..." leak warning). The ThreadLocal is read reflectively: no test seam in the library.
     */
    @Test
    void theValueLeftInAReaderThreadIsOfAJdkClass() throws Exception {
        Rcu rcu = new Rcu();
        java.lang.reflect.Field field = Rcu.class.getDeclaredField("reader");
        field.setAccessible(true);
        ThreadLocal<?> local = (ThreadLocal<?>) field.get(rcu);
        assertEquals(null, local.get(), "no value before the first section");
        rcu.readLock();
        rcu.readUnlock();
        Object value = local.get();
        assertTrue(value != null, "the thread's record is kept between sections");
        assertEquals(null, value.getClass().getClassLoader(), "the ThreadLocal's value is a "
                + value.getClass().getName() + ", loaded by " + value.getClass().getClassLoader()
                + ": a thread that outlives the application pins that loader");
        ShadowVariables table = new ShadowVariables(4, rcu, AllocationFaults.NEVER);
        Object obj = new Object();
        table.alloc(obj, 1, () -> "x", null);
        assertEquals("x", table.get(obj, 1)); // the table's read side leaves the same value
        assertSame(value, local.get());
    }

    @Test
    void seededBugDomainDoesNotWaitForReaders() throws Exception {
        SeededBugs.call("RCU_WITHOUT_GRACE_PERIODS", RcuTest.class.getName(), "seededDomainDoesNotWait");
    }

    /** Run with the seeded bug's classes in place (see {@link SeededBugs#call}). */
    static void seededDomainDoesNotWait() throws Exception {
        Rcu rcu = new Rcu();
        ParkedReader old = new ParkedReader(rcu).start();
        rcu.synchronize(); // returns although an older reader is inside: the bug
        AtomicBoolean ran = new AtomicBoolean();
        rcu.callRcu(() -> ran.set(true));
        assertFalse(ran.get(), "callbacks still never run inside callRcu");
        assertEquals(1, rcu.processCallbacks());
        assertTrue(ran.get());
        old.leave();
    }

    @Test
    void callbacksQueuedTogetherShareOneGracePeriod() {
        Rcu rcu = new Rcu();
        long before = rcu.gracePeriodsStarted();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            rcu.callRcu(() -> ran.add(n));
        }
        assertEquals(before, rcu.gracePeriodsStarted(), "callRcu does not start a grace period");
        assertEquals(10, rcu.processCallbacks(), "no reader: all ten run");
        assertEquals(before + 1, rcu.gracePeriodsStarted(), "one grace period for the ten callbacks");
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ran, "in queue order");
        assertEquals(0, rcu.processCallbacks());
        assertEquals(before + 1, rcu.gracePeriodsStarted(), "nothing queued: no grace period started");
    }

    @Test
    void synchronizeStartsItsOwnGracePeriod() {
        Rcu rcu = new Rcu();
        long before = rcu.gracePeriodsStarted();
        rcu.synchronize();
        assertEquals(before + 1, rcu.gracePeriodsStarted(), "synchronize increments the epoch: new readers do not hold it up");
    }

    @Test
    void batchedProcessingWaitsForAFullBatchSinceTheLastScanWhileTheReclaimerIsActive() throws InterruptedException {
        ManualExecutor reclaimer = new ManualExecutor();
        Rcu rcu = ManualExecutor.rcu(reclaimer);
        List<Integer> ran = new ArrayList<>();
        rcu.callRcu(() -> ran.add(0));
        assertEquals(1, rcu.processCallbacksBatched(), "no reader: processed at once");
        assertEquals(0, reclaimer.submitted(), "nothing left: no reclaimer");

        ParkedReader reader = new ParkedReader(rcu).start();
        rcu.callRcu(() -> ran.add(1));
        long epoch = rcu.gracePeriodsStarted();
        assertEquals(0, rcu.processCallbacksBatched(), "the scan finds the reader inside: callback 1 waits");
        assertEquals(epoch + 1, rcu.gracePeriodsStarted(), "its grace period started");
        assertTrue(rcu.reclaimerActive());
        assertEquals(1, reclaimer.submitted(), "handed to the reclaimer");
        reader.leave();
        for (int i = 2; i <= Rcu.BATCH; i++) {
            int n = i;
            rcu.callRcu(() -> ran.add(n));
            assertEquals(0, rcu.processCallbacksBatched(), "the reclaimer is active: wait for a batch since the last scan");
        }
        assertEquals(epoch + 1, rcu.gracePeriodsStarted(), "no grace period started while the batch fills");
        assertEquals(Rcu.BATCH, rcu.pendingCallbacks());
        int n = Rcu.BATCH + 1;
        rcu.callRcu(() -> ran.add(n));
        assertEquals(Rcu.BATCH + 1, rcu.processCallbacksBatched(), "a full batch since the scan: every callback runs");
        assertEquals(Rcu.BATCH + 2, ran.size());
        assertEquals(1, reclaimer.runQueued());
        assertFalse(rcu.reclaimerActive(), "the reclaimer found nothing queued and ended");
        rcu.callRcu(() -> ran.add(-1));
        assertEquals(1, rcu.processCallbacksBatched(), "no reclaimer active: processed at once again");
    }

    @Test
    void aCallbackQueuedBeforeAReaderEntersStillWaitsForItIfItsGracePeriodHasNotStarted() throws InterruptedException {
        // callRcu fixes target = epoch + 1; a reader entering after callRcu but before the grace
        // period starts stores the old epoch, and the grace period waits for it (conservative).
        Rcu rcu = ManualExecutor.rcu(new ManualExecutor()); // no reclaimer races with the counts below
        AtomicBoolean ran = new AtomicBoolean();
        rcu.callRcu(() -> ran.set(true));
        ParkedReader reader = new ParkedReader(rcu).start();
        assertEquals(0, rcu.processCallbacks(), "the reader's epoch is older than the target");
        assertFalse(ran.get());
        reader.leave();
        assertEquals(1, rcu.processCallbacks());
        assertTrue(ran.get());
    }
}
