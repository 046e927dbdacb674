package io.github.shadowvars.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.shadowvars.ShadowVariables;

/**
 * The kernel samples' two classic uses of shadow variables, in Java
 * (samples/livepatch/livepatch-shadow-mod.c, -fix1.c, -fix2.c):
 * <ul>
 *   <li>fix1: the original code leaks a buffer it allocates for every {@link Dummy}; the fix
 *       attaches the buffer to its Dummy with {@code alloc} and releases it in a destructor
 *       through {@code free} (one object) and {@code freeAll} (the rest, at unload).</li>
 *   <li>fix2: a new "field", a check counter, added to existing Dummy objects with
 *       {@code getOrAlloc}, removed with {@code freeAll}.</li>
 * </ul>
 * Run: {@code java -cp target/classes io.github.shadowvars.examples.Demo}.
 */
public final class Demo {
    /** Shadow variable id of the leaked buffer (fix1). */
    static final long SV_LEAK = 1;
    /** Shadow variable id of the check counter (fix2). */
    static final long SV_COUNTER = 2;

    /** The "original module's" object: a final class we cannot change. */
    static final class Dummy {
        final long jiffiesExpire;

        Dummy(long jiffiesExpire) {
            this.jiffiesExpire = jiffiesExpire;
        }

        @Override
        public String toString() {
            return "Dummy(expire=" + jiffiesExpire + ")";
        }
    }

    /** The buffer the original code allocated and forgot to free. */
    static final class LeakedBuffer {
        final byte[] bytes = new byte[16];
        boolean released;
    }

    private Demo() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs the demo, printing every step to {@code out}. */
    public static void run(PrintStream out) {
        ShadowVariables shadow = new ShadowVariables();
        List<LeakedBuffer> leaks = new ArrayList<>();

        // The original module creates three objects; fix1 attaches each one's leaked buffer.
        List<Dummy> dummies = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Dummy d = new Dummy(1000L * i);
            LeakedBuffer leak = new LeakedBuffer();
            leaks.add(leak);
            // alloc's data is a holder; the ctor stores the leaked pointer in it (fix1's shadow_leak_ctor).
            LeakedBuffer[] saved = shadow.alloc(d, SV_LEAK, () -> new LeakedBuffer[1], (obj, data) -> {
                data[0] = leak;
                return 0;
            });
            dummies.add(d);
            out.println("alloc: " + d + " -> leak buffer attached: " + (saved != null && saved[0] == leak));
        }

        // fix2: each "check" increments a new counter field of the object, created on first use.
        for (int round = 1; round <= 2; round++) {
            for (Dummy d : dummies) {
                AtomicLong counter = shadow.getOrAlloc(d, SV_COUNTER, AtomicLong::new, null);
                out.println("check: " + d + " counter = " + counter.incrementAndGet());
            }
        }

        // The fixed dummy_free: one object goes away, its leaked buffer is released by the destructor.
        Dummy first = dummies.get(0);
        shadow.<LeakedBuffer[]>free(first, SV_LEAK, (obj, data) -> data[0].released = true);
        shadow.free(first, SV_COUNTER, null);
        out.println("free: " + first + " -> leak released: " + leaks.get(0).released
                + ", get now returns " + shadow.get(first, SV_LEAK));

        // Module unload (post_unpatch): remove the rest with freeAll, then barrier() (this table
        // leaves removed variables to the garbage collector: it returns at once).
        shadow.<LeakedBuffer[]>freeAll(SV_LEAK, (obj, data) -> data[0].released = true);
        shadow.freeAll(SV_COUNTER, null);
        long released = leaks.stream().filter(l -> l.released).count();
        out.println("freeAll: leak buffers released = " + released + " of " + leaks.size());
        shadow.barrier();
        out.println("counters: " + shadow.stats());
    }
}
