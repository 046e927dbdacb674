package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16, part 4: stall warnings (like the kernel's RCU CPU stall detector) with an injected
 * clock and threshold, and waiters that back off (park) instead of spinning a core. Nothing
 * depends on real time: the clock only moves when the test moves it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard only
class RcuStallTest {

    static final long THRESHOLD = 1_000;

    /** A reader thread with a known name, parked inside a read-side section until released. */
    static final class NamedReader {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Thread thread;

        NamedReader(Rcu rcu, String name) throws InterruptedException {
            thread = new Thread(() -> {
                rcu.readLock();
                inside.countDown();
                SpeculativeRaceTest.await(release);
                rcu.readUnlock();
            }, name);
            thread.start();
            inside.await();
        }

        void leave() throws InterruptedException {
            release.countDown();
            thread.join();
        }
    }

    /** A RecordingLogger that also counts WARNINGs down on a latch. */
    static class LatchLogger implements Logger {
        final RecordingLogger records = new RecordingLogger();
        final CountDownLatch warned = new CountDownLatch(1);

        @Override
        public String getName() {
            return "latch";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            records.log(level, bundle, msg, thrown);
            if (level == Level.WARNING) {
                warned.countDown();
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            records.log(level, bundle, format, params);
            if (level == Level.WARNING) {
                warned.countDown();
            }
        }

        List<RecordingLogger.Entry> warnings() {
            return records.at(Level.WARNING);
        }
    }

    @Test
    void aGracePeriodHeldUpLongerThanTheThresholdWarnsNamingTheReaderAndItsStackAndRepeatsEveryThreeThresholds() throws Exception {
        AtomicLong now = new AtomicLong();
        LatchLogger log = new LatchLogger();
        Rcu rcu = new Rcu(new ManualExecutor(), now::get, THRESHOLD, log);
        NamedReader reader = new NamedReader(rcu, "stalling-reader");
        rcu.callRcu(() -> { });
        assertEquals(0, rcu.processCallbacks(), "the grace period starts and waits for the reader");
        now.addAndGet(THRESHOLD - 1);
        assertEquals(0, rcu.processCallbacks());
        assertEquals(List.of(), log.warnings(), "below the threshold: no warning");
        now.addAndGet(1);
        assertEquals(0, rcu.processCallbacks());
        assertEquals(1, log.warnings().size(), "at the threshold: one warning");
        String w = log.warnings().get(0).message();
        assertTrue(w.contains("\"stalling-reader\""), w);
        assertTrue(w.contains("its stack:") && w.contains("\tat "), w);
        assertTrue(w.contains(NamedReader.class.getName().replace('$', '.')) || w.contains("RcuStallTest"),
                "the stack shows where the reader is: " + w);
        // Repeated as the kernel repeats it (kernel/rcu/tree_stall.h: the next warning for the same
        // stall is due 3 * the timeout + 3 jiffies after the last): every 3 * THRESHOLD here.
        now.addAndGet(3 * THRESHOLD - 1);
        assertEquals(0, rcu.processCallbacks());
        assertEquals(0, rcu.processCallbacks());
        assertEquals(1, log.warnings().size(), "less than 3 thresholds after the first warning: no second one");
        now.addAndGet(1);
        assertEquals(0, rcu.processCallbacks());
        assertEquals(0, rcu.processCallbacks());
        assertEquals(2, log.warnings().size(), "3 thresholds after the first warning, the reader still inside: a second one");
        assertTrue(log.warnings().get(1).message().contains("\"stalling-reader\""), log.warnings().get(1).message());
        now.addAndGet(3 * THRESHOLD);
        assertEquals(0, rcu.processCallbacks());
        assertEquals(3, log.warnings().size(), "and a third, 3 thresholds later");
        reader.leave();
        assertEquals(1, rcu.processCallbacks());

        // A later grace period held up again warns again, once.
        NamedReader second = new NamedReader(rcu, "second-reader");
        rcu.callRcu(() -> { });
        assertEquals(0, rcu.processCallbacks());
        now.addAndGet(THRESHOLD);
        assertEquals(0, rcu.processCallbacks());
        assertEquals(4, log.warnings().size());
        assertTrue(log.warnings().get(3).message().contains("\"second-reader\""));
        second.leave();
        assertEquals(1, rcu.processCallbacks());
    }

    @Test
    void synchronizeWarnsFromItsOwnWait() throws Exception {
        AtomicLong now = new AtomicLong();
        LatchLogger log = new LatchLogger();
        Rcu rcu = new Rcu(new ManualExecutor(), now::get, THRESHOLD, log);
        NamedReader reader = new NamedReader(rcu, "slow-reader");
        Worker sync = new Worker("synchronizer", rcu::synchronize);
        awaitParkedOn(sync.thread, rcu);           // waiting for the reader (it parks between scans)
        assertEquals(List.of(), log.warnings(), "the clock has not moved");
        now.addAndGet(THRESHOLD);
        assertTrue(log.warned.await(RcuReclaimTest.GUARD_SECONDS, TimeUnit.SECONDS), "no stall warning");
        assertFalse(sync.returned.get());
        reader.leave();
        sync.join();
        assertEquals(1, log.warnings().size());
        assertTrue(log.warnings().get(0).message().contains("\"slow-reader\""));
    }

    /** Whether {@code t} is parked with {@code blocker} (LockSupport.parkNanos(blocker, ...)). */
    static void awaitParkedOn(Thread t, Object blocker) {
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(RcuReclaimTest.GUARD_SECONDS); // hang guard only
        while (LockSupport.getBlocker(t) != blocker) {
            if (System.nanoTime() - guard > 0) {
                throw new AssertionError(t.getName() + " never parked on the domain (state " + t.getState() + ")");
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void synchronizeAndBarrierParkWhileTheyWaitInsteadOfSpinning() throws Exception {
        for (boolean viaBarrier : new boolean[]{false, true}) {
            Rcu rcu = new Rcu();
            RcuTest.ParkedReader reader = new RcuTest.ParkedReader(rcu).start();
            rcu.callRcu(() -> { });
            Worker w = new Worker(viaBarrier ? "barrier" : "synchronize", viaBarrier ? rcu::barrier : rcu::synchronize);
            awaitParkedOn(w.thread, rcu);
            assertFalse(w.returned.get());
            reader.leave();
            w.join();
        }
    }
}
