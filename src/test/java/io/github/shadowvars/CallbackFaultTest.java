package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.github.shadowvars.ShadowVariablesTest.Box;

/**
 * Callbacks that misbehave in time rather than in value: a constructor that takes long (it holds
 * the writer lock, so it blocks writers and only writers), and tables dropped while a shared RCU
 * domain lives on. Threads hand over with latches; "is blocked" is observed as "parked on the
 * table's lock" ({@link LockSupport#getBlocker}), never by waiting for some time.
 */
// Hang guard only, no test depends on timing. A separate thread, because a get that wrongly blocked
// on the writer lock would ignore the interrupt that a same-thread timeout sends (lock() is uninterruptible).
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CallbackFaultTest {

    /** Whether {@code thread} is parked waiting for a table's lock (after its brief spin). */
    static boolean parkedOnALock(Thread thread) {
        return LockSupport.getBlocker(thread) instanceof TableLock;
    }

    /**
     * While a slow ctor runs (inside it, waiting for a latch): get of another key and of the key
     * being built, and getOrAlloc of an existing key, complete on this thread (lock-free paths);
     * a writer on another key parks on the writer lock and completes only after the ctor returned
     * (an interrupt does not make it give up, and its interrupt status is kept).
     */
    @ParameterizedTest
    @ValueSource(strings = {"alloc", "getOrAlloc", "free", "freeAll"})
    void aSlowConstructorBlocksWritersButNotReaders(String writerOp) throws Exception {
        LockWatch locks = new LockWatch();
        ShadowVariables t = new TracedShadowVariables(12, new Rcu(), AllocationFaults.NEVER, new RecordingLogger(), locks);
        Object other = new Object();
        Box otherData = t.alloc(other, 1, () -> new Box(1), null);
        Object victim = new Object();                          // the writer's key for free/freeAll (id 2)
        t.alloc(victim, 2, () -> new Box(2), null);
        Object fresh = new Object();                           // the writer's key for alloc/getOrAlloc (id 2)

        Object slowObj = new Object();
        CountDownLatch ctorInside = new CountDownLatch(1);
        CountDownLatch releaseCtor = new CountDownLatch(1);
        AtomicReference<Box> slowResult = new AtomicReference<>();
        Thread slow = new Thread(() -> slowResult.set(t.alloc(slowObj, 1, () -> new Box(3), (o, d) -> {
            ctorInside.countDown();
            SpeculativeRaceTest.await(releaseCtor);           // the "long" constructor
            return 0;
        })));
        slow.start();
        ctorInside.await();

        // Readers and the lockless paths complete while the ctor holds the writer lock.
        assertTrue(locks.isLocked());
        assertSame(otherData, t.get(other, 1));
        assertNull(t.get(slowObj, 1), "not published before the ctor returned");
        assertSame(otherData, t.getOrAlloc(other, 1, () -> new Box(9), null), "existing key: lock-free pre-check");

        // A writer on another key waits for the lock.
        AtomicBoolean writerDone = new AtomicBoolean();
        AtomicBoolean writerInterrupted = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            switch (writerOp) {
                case "alloc" -> t.alloc(fresh, 2, () -> new Box(4), null);
                case "getOrAlloc" -> t.getOrAlloc(fresh, 2, () -> new Box(4), null);
                case "free" -> t.free(victim, 2, null);
                case "freeAll" -> t.freeAll(2, null);
                default -> throw new IllegalArgumentException(writerOp);
            }
            writerInterrupted.set(Thread.currentThread().isInterrupted());
            writerDone.set(true);
        });
        writer.start();
        while (!parkedOnALock(writer)) {
            Thread.onSpinWait();                                // until it is parked on the table's lock
        }
        assertFalse(writerDone.get(), "the writer completed while the slow ctor held the lock");
        writer.interrupt();                                     // does not make it give up waiting
        assertNull(t.get(fresh, 2));
        assertNotNull(t.get(victim, 2), "not freed yet");

        releaseCtor.countDown();
        slow.join();
        writer.join();
        assertTrue(writerDone.get());
        assertTrue(writerInterrupted.get(), "the writer kept its interrupt status");
        assertSame(slowResult.get(), t.get(slowObj, 1));
        assertNotNull(slowResult.get());
        boolean creates = writerOp.endsWith("lloc"); // alloc, getOrAlloc
        assertEquals(creates, t.get(fresh, 2) != null);
        assertEquals(creates, t.get(victim, 2) != null);
        assertSame(otherData, t.get(other, 1));
    }

    /**
     * A table has no close(): it is dropped like any object once its RCU callbacks have run
     * (rcu().barrier()). A domain shared by several tables outlives each of them: after the barrier
     * it holds nothing of the dropped table, and the other table keeps working.
     */
    @Test
    void aSharedDomainOutlivesATableDroppedAfterBarrier() throws Exception {
        Rcu shared = new Rcu();
        ShadowVariables first = new ShadowVariables(4, shared, AllocationFaults.NEVER);
        ShadowVariables second = new ShadowVariables(4, shared, AllocationFaults.NEVER);
        Object obj = new Object();
        first.alloc(obj, 1, () -> new Box(1), null);
        second.alloc(obj, 1, () -> new Box(2), null);

        RcuTest.ParkedReader reader = new RcuTest.ParkedReader(shared).start(); // holds grace periods back
        first.free(obj, 1, null);
        assertEquals(1, shared.pendingCallbacks(), "the reclamation waits for the reader");
        assertEquals(0, first.stats().reclaimed());
        reader.leave();
        shared.barrier();                                       // before dropping `first`
        assertEquals(0, shared.pendingCallbacks(), "the domain keeps no callback of the dropped table");
        assertEquals(new Stats(1, 1, 0, 1, 1, 0), first.stats());
        first = null;                                           // dropped like any object

        assertEquals(2, second.<Box>get(obj, 1).value);
        second.free(obj, 1, null);
        assertNotNull(second.alloc(obj, 1, () -> new Box(3), null));
        shared.barrier();
        assertEquals(new Stats(2, 2, 0, 1, 1, 0), second.stats());
    }
}
