package io.github.shadowvars.examples;

import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;

import io.github.shadowvars.Keys;
import io.github.shadowvars.ShadowVariables;

/**
 * Shadow data that dies with its object: the weak table ({@link Keys#WEAK}), for code that
 * attaches data to objects it neither creates nor frees (a Java agent, instrumentation, a framework
 * extension) and so has no place to call {@code free} from.
 * <ul>
 *   <li>two objects of a class we cannot change get their shadow data with {@code alloc};</li>
 *   <li>one of them is dropped by its owner: nothing refers to it any more, except the table,
 *       weakly;</li>
 *   <li>after a collection the table's next write (or {@code expunge()}, called here) unlinks the
 *       dead object's entry, with no destructor call, and its data becomes garbage too; the other
 *       object keeps its data.</li>
 * </ul>
 * Run: {@code java -cp target/test-classes:target/classes io.github.shadowvars.examples.WeakDemo}.
 */
public final class WeakDemo {
    /** Shadow variable id of the timing an agent attaches to each request. */
    static final long SV_TIMING = 1;
    /** How long the demo waits for the collector before it gives up: only turns a hang into a failure. */
    static final long GUARD_SECONDS = 60;

    /** The "framework's" object: a final class we cannot change, created and dropped by code we do not own. */
    static final class Request {
        final String path;

        Request(String path) {
            this.path = path;
        }

        @Override
        public String toString() {
            return "Request(" + path + ")";
        }
    }

    /** The shadow data: what the agent attaches to a request. */
    static final class Timing {
        long startNanos;
    }

    private WeakDemo() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Runs the demo, printing every step to {@code out}.
     *
     * @return how many {@code System.gc()} calls it took until the dropped object's data was gone
     * @throws IllegalStateException if the data is still there after {@link #GUARD_SECONDS}
     *                               (System.gc() disabled, or a leak)
     */
    public static int run(PrintStream out) {
        ShadowVariables shadow = new ShadowVariables(ShadowVariables.DEFAULT_BUCKET_BITS, Keys.WEAK);

        Request kept = new Request("/kept");
        Timing keptTiming = shadow.alloc(kept, SV_TIMING, Timing::new, (obj, t) -> {
            t.startNanos = 1;
            return 0;
        });
        out.println("alloc: " + kept + " -> timing attached: " + (keptTiming != null));
        WeakReference<Timing> droppedData = attachToARequestThatIsThenDropped(shadow, out);

        // Collect until the dropped request's data is gone: each round, a collection (which clears
        // the table's weak reference to the dead request), then expunge() (which unlinks its entry:
        // after that nothing refers to the data, and the next collection clears droppedData).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
        int collections = 0;
        int expunged = 0;
        while (droppedData.get() != null) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the dropped request's data is still there after " + collections
                        + " collections in " + GUARD_SECONDS + " s (is System.gc() disabled?); expunged " + expunged);
            }
            System.gc();
            collections++;
            expunged += shadow.expunge();
        }
        out.println("collected: the dropped request's entry expunged (" + expunged + " entry, no destructor call),"
                + " its data gone after " + collections + " collection" + (collections == 1 ? "" : "s"));
        Timing still = shadow.get(kept, SV_TIMING);
        out.println("get: " + kept + " still has its timing: " + (still == keptTiming && still.startNanos == 1));
        out.println("counters: " + shadow.stats());
        return collections;
    }

    /**
     * Creates a request, attaches its timing and lets the request go (the frame that held it is
     * gone when this returns); returns a weak reference to the timing, only to watch it disappear.
     */
    private static WeakReference<Timing> attachToARequestThatIsThenDropped(ShadowVariables shadow, PrintStream out) {
        Request dropped = new Request("/dropped");
        Timing timing = shadow.alloc(dropped, SV_TIMING, Timing::new, null);
        out.println("alloc: " + dropped + " -> timing attached: " + (timing != null) + "; then the request is dropped");
        return new WeakReference<>(timing);
    }
}
