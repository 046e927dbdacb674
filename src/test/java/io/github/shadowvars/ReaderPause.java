package io.github.shadowvars;

/**
 * A tracer that runs {@code onStand} in a reader each time it stands on an entry inside its
 * read-side section (after g_lock loaded a non-null head, after a g_walk followed a non-null
 * link), after passing the step to {@code inner}: tests use it to pause a reader on an entry.
 */
final class ReaderPause extends Tracer {
    private final Tracer inner;
    private final Runnable onStand;

    ReaderPause(Tracer inner, Runnable onStand) {
        this.inner = inner;
        this.onStand = onStand;
    }

    @Override
    public void call(String op, Object obj, long id) {
        inner.call(op, obj, id);
    }

    @Override
    public void begin() {
        inner.begin();
    }

    @Override
    public void end(String label, Object entry, String outcome, Object next) {
        inner.end(label, entry, outcome, next);
        if (label.equals("g_lock") && entry != null) {
            onStand.run();
        }
    }

    @Override
    public void visit(String label, Object entry, Object obj, long id, String outcome, Object next) {
        inner.visit(label, entry, obj, id, outcome, next);
        if (label.equals("g_walk") && next != null) {
            onStand.run();
        }
    }

    @Override
    public void done(String label, Object entry, String outcome) {
        inner.done(label, entry, outcome);
    }
}
