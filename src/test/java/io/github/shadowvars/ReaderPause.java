package io.github.shadowvars;

/**
 * A tracer that runs {@code onStand} in a reader each time it stands on an entry inside its
 * read-side section (a bucket head or a next link loaded non-null between rcu_read_lock and
 * rcu_read_unlock), after passing the event to {@code inner}: tests use it to pause a reader on an
 * entry. Every other event is passed on unchanged: every method of Tracer is overridden here
 * (ReaderPauseTest checks it, so that an event added to Tracer later is not dropped). It keeps
 * its own read-side flag, not the recorder's: it also wraps {@link Tracer#OFF} (PoisonTest,
 * TestTables), where no recorder tracks the section.
 */
final class ReaderPause extends Tracer {
    private final Tracer inner;
    private final Runnable onStand;
    /** Whether the calling thread is inside a read-side section of a table traced by this tracer. */
    private final ThreadLocal<boolean[]> inside = ThreadLocal.withInitial(() -> new boolean[1]);

    ReaderPause(Tracer inner, Runnable onStand) {
        this.inner = inner;
        this.onStand = onStand;
    }

    @Override
    void headLoaded(Object head) {
        inner.headLoaded(head);
        stand(head);
    }

    @Override
    void linkLoaded(Object entry, Object next) {
        inner.linkLoaded(entry, next);
        stand(next);
    }

    private void stand(Object entry) {
        if (entry != null && inside.get()[0]) {
            onStand.run();
        }
    }

    @Override
    void readLocked() {
        inside.get()[0] = true;
        inner.readLocked();
    }

    @Override
    void readUnlocked() {
        inside.get()[0] = false;
        inner.readUnlocked();
    }

    @Override
    void call(String op, Object obj, long id) {
        inner.call(op, obj, id);
    }

    @Override
    void returned(Object value) {
        inner.returned(value);
    }

    @Override
    void begin() {
        inner.begin();
    }

    @Override
    void published(Object entry) {
        inner.published(entry);
    }

    @Override
    void unlinked(Object entry) {
        inner.unlinked(entry);
    }

    @Override
    void kfreeRcu(Object entry) {
        inner.kfreeRcu(entry);
    }

    @Override
    void reclaimed(Object entry) {
        inner.reclaimed(entry);
    }

    @Override
    void unlocked() {
        inner.unlocked();
    }

    @Override
    void locked() {
        inner.locked();
    }

    @Override
    void allocated(Object entry, Object data) {
        inner.allocated(entry, data);
    }

    @Override
    void constructed(Object obj, Object data, boolean ok) {
        inner.constructed(obj, data, ok);
    }

    @Override
    void destroyed(Object obj, Object data) {
        inner.destroyed(obj, data);
    }

    @Override
    void kfree(Object entry) {
        inner.kfree(entry);
    }

    @Override
    void polled(Object key) {
        inner.polled(key);
    }

    @Override
    void useAfterReclaim(Object entry) {
        inner.useAfterReclaim(entry);
    }
}
