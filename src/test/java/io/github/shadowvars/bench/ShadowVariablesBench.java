package io.github.shadowvars.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of the shadow table against baselines in the same run: a ConcurrentHashMap and a
 * Collections.synchronizedMap(HashMap), both keyed by {@link IdentityKey} (identity of obj, id);
 * the ConcurrentHashMap with getOrAlloc as get then computeIfAbsent (chmidiom); Caffeine caches
 * with weakKeys(), one per id (caffeine); Guava MapMaker().weakKeys() maps, one per id (guava).
 *
 * <p>Parameters: {@code impl} = shadow (the checked flavour, on an Rcu domain) | shadowgc (the GC
 * flavour) | shadowweak | shadowweakgc (the weak table, both flavours) | chm | chmidiom | caffeine | guava
 * | sync (see {@link Subject#create}); {@code size} = live variables in the
 * structure during the measurement (each parent object has one variable, id {@link #ID});
 * {@code bucketBits} = log2 of the shadow table's bucket count (12 = the kernel's 2^12 buckets;
 * 17 = about one entry per bucket at 100000; the maps ignore it, bench/run runs them with 12 only).
 *
 * <p>Workloads (all Throughput, ops/us; one op = one call, or one alloc+free pair for churn):
 * <ul>
 *   <li>{@link #getHit}: get of a live variable, parents visited in a fixed shuffled order;</li>
 *   <li>{@link #getMiss}: get of a parent that has no variable;</li>
 *   <li>{@link #getOrAllocExisting}: getOrAlloc / computeIfAbsent (chmidiom: get, then
 *       computeIfAbsent if absent; caffeine: get(key, mappingFunction)) of a live variable;</li>
 *   <li>{@link #churn}: alloc then free of a fresh parent (the table stays at size);</li>
 *   <li>{@link #freeAllAbsent}: freeAll of an id nothing has: what the bucket count costs a
 *       freeAll (the maps scan every key);</li>
 *   <li>{@link #mix}: 2 threads, each doing 9 get hits then 1 churn, repeated (90% / 10%);
 *       {@link #mix4}: the same on 4 threads (oversubscribed on 2 cores);</li>
 *   <li>group {@code readWithWriter}: one thread doing get hits ({@code reader}) while another
 *       churns ({@code writer}); compare {@code reader} with {@link #getHit} (reader alone).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ShadowVariablesBench {

    /** The id of every variable in these benchmarks. */
    static final long ID = 1;

    /** The structure, filled with {@code size} live variables before the measurement. */
    @State(Scope.Benchmark)
    public static class Table {
        @Param({"shadow", "shadowgc", "shadowweak", "shadowweakgc", "chm", "chmidiom", "caffeine", "guava", "sync"})
        public String impl;

        @Param({"1", "1000", "100000"})
        public int size;

        @Param({"12", "17"})
        public int bucketBits;

        Subject subject;
        /** The parents that have a variable, in a fixed shuffled order (the get-hit probes). */
        Object[] hits;
        /** Parents that have no variable (the get-miss probes), as many as hits. */
        Object[] misses;
        /** Hands each thread a different starting point in the probe arrays. */
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void fill() {
            subject = Subject.create(impl, bucketBits);
            List<Object> parents = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                Object parent = new Object();
                System.identityHashCode(parent); // install the identity hash now, not during the measurement
                if (subject.alloc(parent, ID) == null) {
                    throw new IllegalStateException("fill: alloc failed at " + i);
                }
                parents.add(parent);
            }
            Collections.shuffle(parents, new Random(42)); // fixed seed: the same order in every run
            hits = parents.toArray();
            misses = new Object[size];
            for (int i = 0; i < size; i++) {
                misses[i] = new Object();
                System.identityHashCode(misses[i]);
            }
        }
    }

    /** A thread's position in the probe arrays and its step in the 90/10 mix. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
        int step;

        @Setup(Level.Trial)
        public void start(Table t) {
            next = (int) ((long) t.threads.getAndIncrement() * t.size / 4 % t.size);
        }

        int advance(int length) {
            int i = next;
            next = i + 1 == length ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    public Object getHit(Table t, Cursor c) {
        return t.subject.get(t.hits[c.advance(t.size)], ID);
    }

    @Benchmark
    public Object getMiss(Table t, Cursor c) {
        return t.subject.get(t.misses[c.advance(t.size)], ID);
    }

    @Benchmark
    public Object getOrAllocExisting(Table t, Cursor c) {
        return t.subject.getOrAlloc(t.hits[c.advance(t.size)], ID);
    }

    /** freeAll of an id no variable has: a walk of every bucket (the maps: a scan of every key). */
    @Benchmark
    public void freeAllAbsent(Table t) {
        t.subject.freeAll(ID + 1);
    }

    @Benchmark
    public Object churn(Table t) {
        return churnOnce(t.subject);
    }

    @Benchmark
    @Threads(2)
    public Object mix(Table t, Cursor c) {
        if (++c.step == 10) {
            c.step = 0;
            return churnOnce(t.subject);
        }
        return t.subject.get(t.hits[c.advance(t.size)], ID);
    }

    /** {@link #mix} on 4 threads: oversubscribed on a 2-core machine (threads wait for a core, some holding the lock). */
    @Benchmark
    @Threads(4)
    public Object mix4(Table t, Cursor c) {
        return mix(t, c);
    }

    @Benchmark
    @Group("readWithWriter")
    @GroupThreads(1)
    public Object reader(Table t, Cursor c) {
        return t.subject.get(t.hits[c.advance(t.size)], ID);
    }

    @Benchmark
    @Group("readWithWriter")
    @GroupThreads(1)
    public Object writer(Table t) {
        return churnOnce(t.subject);
    }

    /** alloc then free of a fresh parent: one variable created and destroyed. */
    private static Object churnOnce(Subject s) {
        Object parent = new Object();
        Object data = s.alloc(parent, ID);
        s.free(parent, ID);
        return data;
    }
}
