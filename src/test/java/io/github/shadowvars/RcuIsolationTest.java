package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, part 3 (the RCU side): a callback queued by someone else does not fail this table's
 * free, and barrier/synchronize under a table's writer lock are refused instead of risking a
 * deadlock.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard only
class RcuIsolationTest {

    @Test
    void aFailingCallbackQueuedBySomeoneElseDoesNotComeOutOfThisTablesFree() {
        RecordingLogger log = new RecordingLogger();
        Rcu shared = new Rcu(ForkJoinPool.commonPool(), System::nanoTime, Rcu.DEFAULT_STALL_NANOS, log);
        ShadowVariables table = new ShadowVariables(12, shared, AllocationFaults.NEVER);
        Object obj = new Object();
        table.alloc(obj, 1, () -> "x", null);
        shared.callRcu(() -> {
            throw new IllegalStateException("someone else's callback");
        });
        assertDoesNotThrow(() -> table.free(obj, 1, null));
        assertEquals(1, log.at(Level.ERROR).size(), "the failure is logged once, on the domain's logger");
        assertEquals("RCU callback failed", log.at(Level.ERROR).get(0).message());
        assertEquals(1, table.stats().reclaimed(), "the table's own reclamation ran too");
        assertEquals(0, shared.pendingCallbacks());
    }

    @Test
    void theCallerOfProcessCallbacksOrBarrierStillGetsTheFailure() {
        for (boolean viaBarrier : new boolean[]{false, true}) {
            Rcu rcu = new Rcu(new ManualExecutor());
            IllegalStateException boom = new IllegalStateException("boom");
            rcu.callRcu(() -> {
                throw boom;
            });
            assertEquals(boom, assertThrows(IllegalStateException.class, viaBarrier ? rcu::barrier : rcu::processCallbacks));
        }
    }

    @Test
    void aCallbackFailingOnTheReclaimerIsLoggedNotThrown() throws Exception {
        RecordingLogger log = new RecordingLogger();
        ManualExecutor reclaimer = new ManualExecutor();
        Rcu rcu = new Rcu(reclaimer, System::nanoTime, Rcu.DEFAULT_STALL_NANOS, log);
        RcuTest.ParkedReader reader = new RcuTest.ParkedReader(rcu).start();
        rcu.callRcu(() -> {
            throw new IllegalStateException("fails on the reclaimer");
        });
        assertEquals(0, rcu.processCallbacksBatched(), "held up by the reader: handed to the reclaimer");
        assertEquals(1, reclaimer.queued());
        reader.leave();
        assertDoesNotThrow(reclaimer::runQueued);
        assertEquals(0, rcu.pendingCallbacks());
        assertEquals(1, log.at(Level.ERROR).size());
        assertEquals("RCU callback failed", log.at(Level.ERROR).get(0).message());
    }

    @Test
    void aRejectingExecutorLeavesCallbacksToTheNextProcessingCall() throws Exception {
        RecordingLogger log = new RecordingLogger();
        Rcu rcu = new Rcu(task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, System::nanoTime, Rcu.DEFAULT_STALL_NANOS, log);
        RcuTest.ParkedReader reader = new RcuTest.ParkedReader(rcu).start();
        rcu.callRcu(() -> { });
        assertDoesNotThrow(rcu::processCallbacksBatched);
        assertEquals(1, log.at(Level.WARNING).size(), "the rejection is logged");
        assertFalse(rcu.reclaimerActive());
        reader.leave();
        assertEquals(1, rcu.pendingCallbacks(), "no reclaimer: waits for the next processing call");
        assertEquals(1, rcu.processCallbacks());
    }

    /**
     * Issue 25: the reclaimer's delayed re-arm goes through the JDK's delay thread; an executor
     * that rejects it there must not leave the domain believing a reclaimer is active (callbacks
     * would then wait for {@link Rcu#BATCH} more frees). The executor accepts the first task and
     * rejects every later one.
     */
    @Test
    void aRejectedDelayedReArmLeavesNoReclaimerActiveAndTheNextFreeRunsTheCallbacks() throws Exception {
        RecordingLogger log = new RecordingLogger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicInteger submissions = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch rejected = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Executor firstOnly = task -> {
            if (submissions.getAndIncrement() == 0) {
                pool.execute(task);
                return;
            }
            rejected.countDown();
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        };
        try {
            Rcu rcu = new Rcu(firstOnly, System::nanoTime, Rcu.DEFAULT_STALL_NANOS, log);
            ShadowVariables table = new ShadowVariables(12, rcu, AllocationFaults.NEVER);
            RcuTest.ParkedReader reader = new RcuTest.ParkedReader(rcu).start();
            Object a = new Object();
            table.alloc(a, 1, () -> "x", null);
            table.free(a, 1, null); // held up by the reader: handed to the reclaimer (the accepted task)
            assertTrue(rejected.await(RcuReclaimTest.GUARD_SECONDS, java.util.concurrent.TimeUnit.SECONDS),
                    "the reclaimer found the reader inside and re-armed itself: that submission is rejected");
            long guard = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5); // hang guard only
            while ((rcu.reclaimerActive() || log.at(Level.WARNING).isEmpty()) && System.nanoTime() - guard < 0) {
                Thread.onSpinWait();
            }
            assertFalse(rcu.reclaimerActive(), "the delayed re-arm was rejected, yet the domain still has a reclaimer"
                    + " active: callbacks wait for " + Rcu.BATCH + " more frees");
            assertEquals(1, log.at(Level.WARNING).size(), "the rejection is logged: " + log.records);
            reader.leave();
            Object b = new Object();
            table.alloc(b, 1, () -> "y", null);
            table.free(b, 1, null); // one more free, not BATCH: it runs both reclamations
            assertEquals(2, table.stats().reclaimed());
            assertEquals(0, rcu.pendingCallbacks());

            // A later rejection (of a first submission, here) is not logged at WARNING again.
            RcuTest.ParkedReader again = new RcuTest.ParkedReader(rcu).start();
            table.alloc(a, 2, () -> "z", null);
            table.free(a, 2, null);
            assertFalse(rcu.reclaimerActive());
            assertEquals(1, log.at(Level.WARNING).size(), "a WARNING once per domain: " + log.records);
            again.leave();
            rcu.barrier();
            assertEquals(3, table.stats().reclaimed());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void barrierAndSynchronizeFromAConstructorOrDestructorAreRefused() {
        for (String call : new String[]{"barrier", "synchronize"}) {
            Rcu rcu = new Rcu();
            ShadowVariables t = new ShadowVariables(12, rcu, AllocationFaults.NEVER);
            Runnable wait = call.equals("barrier") ? rcu::barrier : rcu::synchronize;
            Object a = new Object();
            IllegalStateException inCtor = assertThrows(IllegalStateException.class,
                    () -> t.alloc(a, 1, () -> "x", (o, d) -> {
                        wait.run();
                        return 0;
                    }));
            assertTrue(inCtor.getMessage().startsWith(call) && inCtor.getMessage().contains("writer lock"),
                    inCtor.getMessage());
            assertNull(t.get(a, 1), "the ctor failed: nothing published");

            t.alloc(a, 1, () -> "x", null);
            IllegalStateException inDtor = assertThrows(IllegalStateException.class,
                    () -> t.free(a, 1, (o, d) -> wait.run()));
            assertTrue(inDtor.getMessage().startsWith(call), inDtor.getMessage());
            assertNull(t.get(a, 1), "the dtor failed: the variable is still removed");

            t.alloc(a, 2, () -> "y", null);
            assertThrows(IllegalStateException.class, () -> t.freeAll(2, (o, d) -> wait.run()));

            wait.run(); // outside the lock again: allowed
            rcu.barrier();
            assertEquals(0, rcu.pendingCallbacks());
        }
    }

    @Test
    void onASharedDomainOnlyTheLockOfATableOnItIsRefused() {
        Rcu shared = new Rcu();
        ShadowVariables first = new ShadowVariables(4, shared, AllocationFaults.NEVER);
        ShadowVariables second = new ShadowVariables(4, shared, AllocationFaults.NEVER);
        ShadowVariables elsewhere = new ShadowVariables(4, new Rcu(), AllocationFaults.NEVER);
        ShadowVariables gc = new ShadowVariables(4);
        // Under the lock of either table on the shared domain: refused, on both tables' barrier.
        assertThrows(IllegalStateException.class, () -> first.alloc(new Object(), 1, () -> "x", (o, d) -> {
            second.barrier();
            return 0;
        }));
        assertThrows(IllegalStateException.class, () -> second.alloc(new Object(), 1, () -> "x", (o, d) -> {
            shared.synchronize();
            return 0;
        }));
        // Under the lock of a table on another domain, or of a table without one: allowed.
        Object a = new Object();
        assertEquals("x", elsewhere.alloc(a, 1, () -> "x", (o, d) -> {
            shared.barrier();
            return 0;
        }));
        assertEquals("y", gc.alloc(a, 1, () -> "y", (o, d) -> {
            shared.synchronize();
            first.barrier();
            gc.barrier(); // no domain: returns at once
            return 0;
        }));
        assertNull(gc.rcu());
    }
}
