package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The table's lock alone: who holds it, a waiter that parks after its spin and gets the lock once
 * it is released, and mutual exclusion under contention (a plain counter incremented under the
 * lock loses no increment). The jcstress harness TableLockMutex races two lockers at the memory
 * model's level; the seeded bug TABLE_LOCK_CHECK_THEN_SET shows that it catches a broken lock.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // hang guard only
class TableLockTest {

    @Test
    void theHolderAndOnlyTheHolderHoldsIt() throws Exception {
        TableLock lock = new TableLock();
        assertFalse(lock.isHeldByCurrentThread());
        lock.lock();
        assertTrue(lock.isHeldByCurrentThread());
        AtomicBoolean otherSeesHeld = new AtomicBoolean(true);
        Thread other = new Thread(() -> otherSeesHeld.set(lock.isHeldByCurrentThread()));
        other.start();
        other.join();
        assertFalse(otherSeesHeld.get(), "another thread is not the holder");
        lock.unlock();
        assertFalse(lock.isHeldByCurrentThread());
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock by a thread that does not hold it");
    }

    @Test
    void aWaiterParksAndGetsTheLockWhenItIsReleased() throws Exception {
        TableLock lock = new TableLock();
        lock.lock();
        CountDownLatch got = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            lock.lock();
            got.countDown();
            lock.unlock();
        });
        waiter.start();
        while (LockSupport.getBlocker(waiter) != lock) {
            Thread.onSpinWait();                                  // until it has spun and parked on the lock
        }
        assertEquals(1, got.getCount(), "the waiter got a held lock");
        lock.unlock();
        got.await();
        waiter.join();
        assertFalse(lock.isHeldByCurrentThread());
    }

    @Test
    void noIncrementIsLostUnderContention() throws Exception {
        TableLock lock = new TableLock();
        int threads = 4;
        int perThread = 200_000;
        long[] counter = new long[1];                             // plain: only the lock orders the increments
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < perThread; i++) {
                    lock.lock();
                    counter[0]++;
                    lock.unlock();
                }
            });
            th.start();
            all.add(th);
        }
        start.countDown();
        for (Thread th : all) {
            th.join();
        }
        lock.lock();                                              // acquires the last holder's writes
        assertEquals((long) threads * perThread, counter[0]);
        lock.unlock();
    }
}
