package io.github.shadowvars;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Tests: an Executor that only keeps the tasks it is given; the test runs them when it chooses
 * ({@link #runQueued()}), so an RCU domain's reclaimer never races with the test's own calls.
 */
final class ManualExecutor implements Executor {
    private final List<Runnable> tasks = new ArrayList<>();
    private int submitted;

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
        submitted++;
    }

    /** How many tasks were ever submitted. */
    synchronized int submitted() {
        return submitted;
    }

    /** How many tasks wait to be run. */
    synchronized int queued() {
        return tasks.size();
    }

    /** Runs the tasks queued now (not those they submit); returns how many ran. */
    int runQueued() {
        List<Runnable> now;
        synchronized (this) {
            now = new ArrayList<>(tasks);
            tasks.clear();
        }
        now.forEach(Runnable::run);
        return now.size();
    }

    /** A domain whose reclaimer runs only when the test says so. */
    static Rcu rcu(ManualExecutor executor) {
        return new Rcu(executor);
    }
}
