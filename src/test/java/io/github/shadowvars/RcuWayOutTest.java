package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 25: a stuck reader has a way out. A read-side section for try-with-resources (a section
 * cannot leak out of its block), and {@code synchronize(Duration)} / {@code barrier(Duration)}
 * that return false when the time runs out, without running any callback early. Readers are held
 * inside by latches; the timeouts are short because timing out is the expected outcome, never a
 * timing check (a timed wait that returns true is waited for with a generous timeout).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard only
class RcuWayOutTest {

    static final Duration SHORT = Duration.ofMillis(20);
    static final Duration GENEROUS = Duration.ofSeconds(RcuReclaimTest.GUARD_SECONDS);

    /** A thread inside a try-with-resources read-side section until released. */
    static final class SectionReader {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Worker worker;

        SectionReader(Rcu rcu) throws InterruptedException {
            worker = new Worker("section-reader", () -> {
                try (Rcu.ReadSection section = rcu.readSection()) {
                    inside.countDown();
                    SpeculativeRaceTest.await(release);
                }
                assertFalse(rcu.inReadSection(), "closed at the end of the block");
            });
            inside.await();
        }

        void leave() throws InterruptedException {
            release.countDown();
            worker.join("section reader");
        }
    }

    @Test
    void aTryWithResourcesSectionNestsAndEndsWithItsBlock() {
        Rcu rcu = new Rcu();
        try (Rcu.ReadSection outer = rcu.readSection()) {
            assertTrue(rcu.inReadSection());
            try (Rcu.ReadSection inner = rcu.readSection()) {
                assertTrue(rcu.inReadSection());
            }
            assertTrue(rcu.inReadSection(), "the outer section still counts");
            rcu.readLock(); // mixes with the lock API
            rcu.readUnlock();
            assertThrows(IllegalStateException.class, () -> rcu.synchronize(SHORT));
        }
        assertFalse(rcu.inReadSection());
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
            try (Rcu.ReadSection s = rcu.readSection()) {
                throw new RuntimeException("a failing reader");
            }
        });
        assertEquals("a failing reader", thrown.getMessage());
        assertFalse(rcu.inReadSection(), "an exception out of the block still ends the section");
        assertTrue(rcu.synchronize(GENEROUS));
    }

    @Test
    void closingTwiceIsANoOpAndClosingOnAnotherThreadIsRefused() throws Exception {
        Rcu rcu = new Rcu();
        Rcu.ReadSection outer = rcu.readSection();
        Rcu.ReadSection inner = rcu.readSection();
        inner.close();
        inner.close(); // idempotent, as Closeable: does not end the outer section
        assertTrue(rcu.inReadSection());
        AtomicReference<Throwable> elsewhere = new AtomicReference<>();
        Worker w = new Worker(() -> elsewhere.set(assertThrows(IllegalStateException.class, outer::close)));
        w.join();
        assertTrue(elsewhere.get().getMessage().contains("thread that opened it"), elsewhere.get().getMessage());
        assertTrue(rcu.inReadSection(), "the refused close left the section as it was");
        outer.close();
        assertFalse(rcu.inReadSection());
    }

    @Test
    void timedSynchronizeReturnsFalseWhileAnOlderReaderIsInsideAndTrueOnceItLeft() throws Exception {
        Rcu rcu = new Rcu();
        SectionReader reader = new SectionReader(rcu);
        assertFalse(rcu.synchronize(SHORT), "the reader is inside: the wait times out");
        assertFalse(rcu.synchronize(Duration.ZERO), "a zero timeout: one scan");
        assertFalse(rcu.synchronize(Duration.ofNanos(-1)), "a negative timeout: one scan");
        reader.leave();
        assertTrue(rcu.synchronize(GENEROUS));
        assertTrue(rcu.synchronize(Duration.ZERO), "no reader inside: one scan completes it");
    }

    @Test
    void aTimedOutSynchronizeOrBarrierRunsNoCallbackEarly() throws Exception {
        Rcu rcu = new Rcu(new ManualExecutor()); // no reclaimer races with the counts
        SectionReader reader = new SectionReader(rcu);
        AtomicBoolean ran = new AtomicBoolean();
        rcu.callRcu(() -> ran.set(true));
        assertFalse(rcu.synchronize(SHORT));
        assertFalse(rcu.barrier(SHORT), "barrier times out while the reader holds the callback's grace period");
        assertFalse(ran.get(), "a callback ran while a reader that was inside when it was queued is still inside");
        assertEquals(0, rcu.processCallbacks());
        assertEquals(1, rcu.pendingCallbacks());
        assertFalse(ran.get());
        reader.leave();
        assertTrue(rcu.barrier(GENEROUS));
        assertTrue(ran.get());
        assertEquals(0, rcu.pendingCallbacks());
        assertTrue(rcu.barrier(Duration.ZERO), "nothing queued: returns true at once");
    }

    @Test
    void aTimedBarrierAlsoGivesUpWaitingForAnotherBarrierThatWaits() throws Exception {
        Rcu rcu = new Rcu(new ManualExecutor());
        SectionReader reader = new SectionReader(rcu);
        AtomicBoolean ran = new AtomicBoolean();
        rcu.callRcu(() -> ran.set(true));
        CountDownLatch waiting = new CountDownLatch(1);
        Worker untimed = new Worker("untimed-barrier", () -> {
            waiting.countDown();
            rcu.barrier(); // holds the callback runner while it waits for the reader
        });
        waiting.await();
        RcuStallTest.awaitParkedOn(untimed.thread, rcu);
        assertFalse(rcu.barrier(SHORT), "the other barrier runs the callbacks; this one gives up");
        assertFalse(ran.get());
        reader.leave();
        untimed.join();
        assertTrue(ran.get());
    }

    @Test
    void timedWaitsAreRefusedWhereTheUntimedOnesAre() {
        Rcu rcu = new Rcu();
        ShadowVariables t = new ShadowVariables(4, rcu, AllocationFaults.NEVER);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.alloc(new Object(), 1, () -> "x", (o, d) -> {
            rcu.barrier(SHORT);
            return 0;
        }));
        assertTrue(e.getMessage().startsWith("barrier"), e.getMessage());
        assertThrows(NullPointerException.class, () -> rcu.synchronize(null));
        assertThrows(NullPointerException.class, () -> rcu.barrier(null));
    }

    @Test
    void aTimedWaitKeepsTheInterruptStatus() throws Exception {
        Rcu rcu = new Rcu();
        SectionReader reader = new SectionReader(rcu);
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        AtomicReference<Boolean> result = new AtomicReference<>();
        Worker w = new Worker(() -> {
            Thread.currentThread().interrupt();
            result.set(rcu.synchronize(SHORT));
            interruptedAfter.set(Thread.interrupted());
        });
        w.join();
        assertSame(Boolean.FALSE, result.get(), "an interrupt does not end the wait early with true");
        assertTrue(interruptedAfter.get(), "the interrupt status was preserved");
        reader.leave();
    }
}
