package io.github.shadowvars.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.github.shadowvars.Rcu;

/**
 * The fixed part of every shadow get: one empty read-side section of the table's RCU domain, and
 * the two things it is made of, each measured alone so that the floor is visible.
 * <ul>
 *   <li>{@link #readSection}: readLock then readUnlock, nothing inside (the cost every get pays);</li>
 *   <li>{@link #volatileStore}: one volatile store to a field only this thread touches, the
 *       store-load fence the section's entry needs (on x86 a {@code lock addl}); no correct
 *       reader of this RCU design can be cheaper than this;</li>
 *   <li>{@link #threadLocalGet}: one lookup of an initialised ThreadLocal, how the section
 *       finds the thread's reader record.</li>
 * </ul>
 * JMH's stack profiler cannot show this split: everything is inlined into the benchmark stub.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class RcuBench {

    private final Rcu rcu = new Rcu();
    private final ThreadLocal<long[]> local = ThreadLocal.withInitial(() -> new long[1]);

    /** A field only the measuring thread writes (JMH gives each thread its own instance). */
    @State(Scope.Thread)
    public static class Own {
        volatile long epoch;
        long next;

        @Setup
        public void start() {
            next = 1;
        }
    }

    @Benchmark
    public void readSection() {
        rcu.readLock();
        rcu.readUnlock();
    }

    @Benchmark
    public void volatileStore(Own own) {
        own.epoch = own.next; // volatile store: mov + lock addl on x86
    }

    @Benchmark
    public long[] threadLocalGet() {
        return local.get();
    }
}
