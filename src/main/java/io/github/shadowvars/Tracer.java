package io.github.shadowvars;

/**
 * Events of the table's primitives, the one seam between the algorithm and the checks that watch
 * it (trace validation records every event and translates it into the spec's labels; tests pause
 * a thread at one). As in the C check (kernel-check/trace.c), the events come from the primitives
 * (a bucket head load, a link load, hash_add_rcu, hash_del_rcu, the lock and unlock, the read-side
 * enter and exit, kzalloc, kfree, kfree_rcu and its callback, the constructor and destructor) and
 * from each API call's entry and its one return point; the algorithm's own lines carry none, as
 * shadow.c carries none. Which spec label an event is depends on the calling operation: the
 * recorder maps it from the thread's context, the algorithm never names a label.
 *
 * <p>Only a {@link TracedShadowVariables} has a tracer; a table built by the public constructors
 * has none and reports nothing.
 *
 * <p>Protocol: a shared-memory access that must be atomic with respect to the other recorded
 * events runs between {@link #begin()} and one of the methods marked "after begin", which names
 * what it did and saw; every other event (private or lock-protected work, or a thread's own
 * state) is reported whole, after it happened. Entries and data are passed as the objects
 * themselves: a recorder reads what it observes (an entry's obj and id) from them.
 */
abstract class Tracer {
    /** Records nothing: for a wrapper (a test's pause) with no recorder behind it. */
    static final Tracer OFF = new Tracer() {
    };

    /** The calling thread starts operation {@code op} (get, alloc, getOrAlloc, free, freeAll, expunge): the spec's Call. */
    void call(String op, Object obj, long id) {
    }

    /** The calling thread's operation returns {@code value} (null for free and freeAll): its one return point. */
    void returned(Object value) {
    }

    /** An access to shared memory starts; one "after begin" method follows. */
    void begin() {
    }

    /** After begin: rcu_dereference of a bucket head loaded {@code head} (null too is an observation). */
    void headLoaded(Object head) {
    }

    /** After begin: rcu_dereference of {@code entry}'s next link loaded {@code next}. */
    void linkLoaded(Object entry, Object next) {
    }

    /** After begin: hash_add_rcu linked {@code entry} in front of its bucket and stored it at the head. */
    void published(Object entry) {
    }

    /** After begin: hash_del_rcu unlinked {@code entry} (its predecessor's link, or the head, now skips it). */
    void unlinked(Object entry) {
    }

    /** After begin: kfree_rcu handed {@code entry} to the RCU domain. */
    void kfreeRcu(Object entry) {
    }

    /** After begin: the RCU callback reclaimed (poisoned) {@code entry}. */
    void reclaimed(Object entry) {
    }

    /** After begin: rcu_read_unlock left the read-side section. */
    void readUnlocked() {
    }

    /** After begin: spin_unlock released the table lock. */
    void unlocked() {
    }

    /** rcu_read_lock entered a read-side section (the calling thread's own state). */
    void readLocked() {
    }

    /** spin_lock took the table lock (reported once it is held). */
    void locked() {
    }

    /** kzalloc returned {@code entry} holding {@code data}, or null (allocation failure: data null). */
    void allocated(Object entry, Object data) {
    }

    /** The constructor was called with {@code (obj, data)} and succeeded ({@code ok}) or failed (error code or exception). */
    void constructed(Object obj, Object data, boolean ok) {
    }

    /** The destructor was called with {@code (obj, data)} (reported also when it threw). */
    void destroyed(Object obj, Object data) {
    }

    /** Weak keys, under the lock: ReferenceQueue.poll returned {@code key}, a WeakKey the collector cleared, or null (none). */
    void polled(Object key) {
    }

    /** kfree of {@code entry}, never published: nothing to free in Java (the GC does). */
    void kfree(Object entry) {
    }

    /** The KASAN stand-in's report: the calling thread touched the reclaimed {@code entry} (a UseAfterReclaimError follows). */
    void useAfterReclaim(Object entry) {
    }
}
