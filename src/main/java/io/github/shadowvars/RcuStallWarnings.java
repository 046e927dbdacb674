package io.github.shadowvars;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The stall warnings of one {@link Rcu} domain, like the kernel's RCU CPU stall detector
 * (kernel/rcu/tree_stall.h): a grace period held up longer than the threshold logs a WARNING
 * naming a thread that holds it up and that thread's stack, repeated every 3 thresholds while the
 * grace period stays held up. Every method but {@link #warn(Stall)} runs under Rcu's gpLock;
 * stack traces are taken and logged outside every lock.
 */
final class RcuStallWarnings {

    /** A stall to report, found under gpLock and logged after it is released. */
    record Stall(long gp, long waitedNanos, RcuReaders.Reader blocker, long epoch) { }

    /** The grace period in flight whose blocking was first seen at {@link #blockedSince} (under gpLock). */
    private long blockedGp;
    /** Clock reading when a scan first found {@link #blockedGp} held up (under gpLock). */
    private long blockedSince;
    /** How long {@link #blockedGp} must have waited for its next stall WARNING (under gpLock). */
    private long nextWarnAfter;
    /** The reader that held up the last scan, if it was blocked (under gpLock). */
    private RcuReaders.Reader lastBlocker;

    private final LongSupplier clock;
    private final long stallNanos;
    private final Logger logger;

    RcuStallWarnings(LongSupplier clock, long stallNanos, Logger logger) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (stallNanos <= 0) {
            throw new IllegalArgumentException("stallNanos must be positive: " + stallNanos);
        }
        this.stallNanos = stallNanos;
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /** Records the result of a scan for grace period {@code target}: its blocker, or null (under gpLock). */
    void scanned(long target, RcuReaders.Reader blocker) {
        if (blocker != null && blockedGp != target) {
            blockedGp = target;
            blockedSince = clock.getAsLong();
            nextWarnAfter = stallNanos;
        }
        lastBlocker = blocker;
    }

    /**
     * Under gpLock, after advance: the stall to warn about, or null. The first WARNING of a grace
     * period comes once it has waited the stall threshold, then one every 3 thresholds while it
     * stays held up, as the kernel repeats its RCU CPU stall warning (kernel/rcu/tree_stall.h:
     * the next warning for the same stall is due 3 * the timeout + 3 jiffies after the last: about
     * every 63 s after the first at 21 s). {@code g} is the global epoch, {@code completed} the
     * newest completed grace period.
     */
    Stall take(long g, long completed) {
        RcuReaders.Reader b = lastBlocker;
        if (b == null || completed >= g || blockedGp != g) {
            return null;
        }
        long waited = clock.getAsLong() - blockedSince;
        if (waited < nextWarnAfter) {
            return null;
        }
        long repeat = stallNanos > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : 3 * stallNanos;
        nextWarnAfter = waited > Long.MAX_VALUE - repeat ? Long.MAX_VALUE : waited + repeat;
        return new Stall(g, waited, b, (long) Rcu.STATE.getVolatile(b.state, Rcu.EPOCH));
    }

    /** Logs one stall WARNING (no lock held): the blocking thread and its stack. */
    void warn(Stall s) {
        Thread t = s.blocker().owner.get();
        StringBuilder msg = new StringBuilder("RCU grace period ").append(s.gp()).append(" has waited ")
                .append(TimeUnit.NANOSECONDS.toMillis(s.waitedNanos())).append(" ms for thread ");
        if (t == null) {
            msg.append("(gone)");
        } else {
            msg.append('"').append(t.getName()).append("\" (id ").append(t.getId())
                    .append("), inside a read-side section entered at epoch ").append(s.epoch())
                    .append("; its stack:");
            for (StackTraceElement f : t.getStackTrace()) {
                msg.append("\n\tat ").append(f);
            }
        }
        logger.log(Level.WARNING, msg.toString());
    }
}
