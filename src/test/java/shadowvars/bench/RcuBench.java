package shadowvars.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import shadowvars.Rcu;

/**
 * The fixed part of every shadow get: one empty read-side section (readLock then readUnlock) of
 * the table's RCU domain. Compared with {@link ShadowVariablesBench#getHit} at size 1 it shows
 * how much of a get is the section itself (a ThreadLocal lookup and two volatile stores of the
 * reader's epoch, each a full fence on x86) rather than the bucket walk. JMH's stack profiler
 * cannot show this split: everything is inlined into the benchmark stub.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class RcuBench {

    private final Rcu rcu = new Rcu();

    @Benchmark
    public void readSection() {
        rcu.readLock();
        rcu.readUnlock();
    }
}
