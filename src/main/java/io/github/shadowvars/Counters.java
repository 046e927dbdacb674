package io.github.shadowvars;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/**
 * A table's counters. The writer counters change only under the table's writer lock; the
 * reclamation and poison counters change in RCU callbacks and readers, outside it. A table without
 * an RCU domain reports every unlinked entry as reclaimed (the GC frees it; nothing is counted).
 */
final class Counters {

    /** Live variables per bucket, on average, above which a table logs a sizing WARNING (once). */
    static final int CROWDED = 8;

    /** Slots of {@link #writer}. */
    static final int ALLOCATED = 0, PUBLISHED = 1, DROPPED = 2, UNLINKED = 3, EXPUNGED = 4;

    /** Element access to {@link #writer}: release stores, acquire loads (plain moves on x86). */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * Written only by the writer-lock holder, so a plain increment loses nothing; each store is a
     * release store, so that {@link #stats()}, reading with acquire loads in the reverse order of the
     * increments, never sees a later counter's increment without an earlier one's. Cheaper than a
     * LongAdder, whose increment is an atomic read-modify-write.
     */
    private final long[] writer = new long[5];
    private final LongAdder reclaimed = new LongAdder();
    private final LongAdder poisonedReads = new LongAdder();
    /** {@link #crowdedOnce} has reported; written and read under the table's writer lock (plain). */
    private boolean warnedCrowded;
    /** No RCU domain: reclaimed is reported as unlinked. */
    private final boolean reclaimedWhenUnlinked;

    Counters(boolean reclaimedWhenUnlinked) {
        this.reclaimedWhenUnlinked = reclaimedWhenUnlinked;
    }

    /** Increments writer counter {@code slot}; the caller holds the table's writer lock. */
    void count(int slot) {
        SLOT.setRelease(writer, slot, writer[slot] + 1);
    }

    /**
     * After a publish, the caller holding the table's writer lock: the live variables (published
     * minus unlinked, plain loads) the first time they exceed {@link #CROWDED} per bucket on
     * average (chains that long make every get slow: the table logs a sizing warning), else 0.
     */
    long crowdedOnce(int buckets) {
        long live = writer[PUBLISHED] - writer[UNLINKED];
        if (warnedCrowded || live <= (long) CROWDED * buckets) {
            return 0;
        }
        warnedCrowded = true;
        return live;
    }

    void reclaimed() {
        reclaimed.increment();
    }

    void poisonedRead() {
        poisonedReads.increment();
    }

    private long read(int slot) {
        return (long) SLOT.getAcquire(writer, slot);
    }

    /**
     * The counters now. Each is exact; together they are not one instant's snapshot, but they are
     * read in an order that keeps the derived counts non-negative: expunged and reclaimed before
     * unlinked before published before allocated (each later counter only grows past the earlier one).
     */
    Stats stats() {
        long poisoned = poisonedReads.sum();
        long expunged = read(EXPUNGED);
        long reclaimedNow = reclaimed.sum();
        long unlinked = read(UNLINKED);
        reclaimedNow = reclaimedWhenUnlinked ? unlinked : reclaimedNow;
        long dropped = read(DROPPED);
        long published = read(PUBLISHED);
        long allocated = read(ALLOCATED);
        return new Stats(allocated, published, dropped, unlinked, reclaimedNow, poisoned, expunged);
    }
}
