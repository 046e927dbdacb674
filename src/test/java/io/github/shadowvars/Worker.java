package io.github.shadowvars;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tests: runs a body on a new, already started thread and keeps what it threw, so that a
 * failure on that thread fails the test at {@link #join(String)} instead of being lost.
 */
final class Worker {

    /** A body that may throw anything (a latch or barrier wait, an assertion). */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final AtomicBoolean returned = new AtomicBoolean();
    final Thread thread;

    Worker(String name, Body body) {
        thread = new Thread(() -> {
            try {
                body.run();
                returned.set(true);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
    }

    Worker(Body body) {
        this("worker", body);
    }

    /** Waits for the thread; fails with {@code what} and the thread's exception as cause if it threw. */
    void join(String what) throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(what + ": thread " + thread.getName() + " failed", failure.get());
        }
        if (!returned.get()) {
            throw new AssertionError(what + ": thread " + thread.getName() + " did not return");
        }
    }

    void join() throws InterruptedException {
        join("worker");
    }
}
