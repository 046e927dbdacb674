package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The path where another caller publishes {@code <obj, id>} while this one is between its
 * lockless pre-check (1) and the lock (3): the re-check (4) finds it and drops the speculative
 * entry. Made deterministic by using the allocate step (2), which runs outside the lock, as the hook.
 */
@Timeout(60) // hang guard only; no test depends on timing
class SpeculativeRaceTest {

    static final class Box {
        final String owner;

        Box(String owner) {
            this.owner = owner;
        }
    }

    final RecordingLogger log = new RecordingLogger();

    ShadowVariables table() {
        return new ShadowVariables(12, new Rcu(), AllocationFaults.NEVER, Keys.STRONG, log);
    }

    @Test
    void allocLosingTheRaceOnTheSameThreadReturnsNullAndWarns() {
        ShadowVariables t = table();
        Object obj = new Object();
        AtomicInteger ctorCalls = new AtomicInteger();
        Constructor<Box> ctor = (o, d) -> {
            ctorCalls.incrementAndGet();
            return 0;
        };
        AtomicReference<Box> winner = new AtomicReference<>();
        // A's allocate step (outside the lock, after A's pre-check missed) lets B publish first.
        Box a = t.alloc(obj, 1, () -> {
            winner.set(t.alloc(obj, 1, () -> new Box("B"), ctor));
            return new Box("A");
        }, ctor);
        assertNull(a, "A's re-check under the lock found B's variable");
        assertEquals("B", winner.get().owner);
        assertSame(winner.get(), t.get(obj, 1));
        assertEquals(1, ctorCalls.get(), "the ctor ran only for the variable that was created");
        assertEquals(new Stats(2, 1, 1, 0, 0, 0), t.stats());
        assertEquals(1, log.at(Level.WARNING).size());
        assertEquals(0, t.rcu().pendingCallbacks(), "the dropped entry was never published: no grace period");
    }

    @Test
    void getOrAllocLosingTheRaceToAnotherThreadReturnsTheWinnersData() throws Exception {
        ShadowVariables t = table();
        Object obj = new Object();
        AtomicInteger ctorCalls = new AtomicInteger();
        Constructor<Box> ctor = (o, d) -> {
            ctorCalls.incrementAndGet();
            return 0;
        };
        CountDownLatch aAllocating = new CountDownLatch(1);
        CountDownLatch bPublished = new CountDownLatch(1);
        AtomicReference<Box> aResult = new AtomicReference<>();
        Thread a = new Thread(() -> aResult.set(t.getOrAlloc(obj, 1, () -> {
            aAllocating.countDown();
            await(bPublished);
            return new Box("A");
        }, ctor)));
        a.start();
        aAllocating.await(); // A's pre-check has missed; A is in its allocate step, outside the lock
        Box b = t.getOrAlloc(obj, 1, () -> new Box("B"), ctor);
        assertEquals("B", b.owner);
        bPublished.countDown();
        a.join();
        assertSame(b, aResult.get(), "getOrAlloc returns the variable that won the race");
        assertSame(b, t.get(obj, 1));
        assertEquals(1, ctorCalls.get());
        assertEquals(new Stats(2, 1, 1, 0, 0, 0), t.stats());
        assertEquals(0, log.records.size());
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
