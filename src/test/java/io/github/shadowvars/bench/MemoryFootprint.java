package io.github.shadowvars.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Heap bytes per live variable: the shadow table against a ConcurrentHashMap and a synchronized
 * HashMap keyed by {@link IdentityKey}, and (the weak table's baselines) Caffeine's and Guava's
 * weak-key maps. Not a JMH benchmark: a plain main, run by bench/run in
 * its own JVM with {@code -XX:+UseSerialGC -XX:MarkSweepDeadRatio=0} (System.gc() is then a full
 * collection that compacts everything; without DeadRatio=0 the serial collector may leave dead
 * objects in place as "dead wood" and count them as used, which made every other reading wrong); "heap used"
 * afterwards is then the live data.
 *
 * <p>Method: create the parents and their data objects first (they are the same for every
 * structure and are not counted); measure heap used after System.gc(); insert every parent into a
 * new structure; measure again; (after - before) / count. That includes everything the structure
 * allocates: entries, key records, the bucket array (the shadow table's is fixed, the maps' grow),
 * and fixed costs (locks, counters, the RCU domain) spread over the count. Each structure is
 * measured {@code ROUNDS} times in a fresh structure; the median is reported.
 *
 * <p>Usage: {@code MemoryFootprint [count [structures]]} (default 100000, and
 * {@code shadow-b12,shadow-b17,chm,sync}): structures is a comma-separated list of
 * {@link Subject#create} names, a shadow table's with its bucket bits ({@code shadowgc-b17},
 * {@code shadowweakgc-b12}), the maps' without ({@code chm}, {@code caffeine}, {@code guava}).
 * Prints CSV lines {@code structure,count,bytesPerVariable} on stdout.
 */
public final class MemoryFootprint {

    private static final int ROUNDS = 5;

    private MemoryFootprint() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String[] names = (args.length > 1 ? args[1] : "shadow-b12,shadow-b17,chm,sync").split(",");
        Object[] parents = new Object[count];
        Object[] data = new Object[count];
        for (int i = 0; i < count; i++) {
            parents[i] = new Object();
            System.identityHashCode(parents[i]); // the hash lives in the object header: not counted
            data[i] = new Subject.Data();
        }
        System.out.println("structure,count,bytesPerVariable");
        for (String name : names) {
            int b = name.lastIndexOf("-b");
            String impl = b < 0 ? name : name.substring(0, b);
            int bucketBits = b < 0 ? 12 : Integer.parseInt(name.substring(b + 2)); // the maps ignore it
            double[] perVariable = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                perVariable[r] = measure(impl, bucketBits, parents, data);
            }
            Arrays.sort(perVariable);
            System.out.printf("%s,%d,%.1f%n", name, count, perVariable[ROUNDS / 2]);
        }
        Reference.reachabilityFence(parents);
        Reference.reachabilityFence(data);
    }

    /** Heap growth per variable for one new structure holding {@code parents[i] -> data[i]}. */
    private static double measure(String impl, int bucketBits, Object[] parents, Object[] data) {
        Object[] holder = new Object[1]; // keeps the structure strongly reachable through the second reading
        long before = usedAfterGc();
        holder[0] = Subject.create(impl, bucketBits);
        Subject subject = (Subject) holder[0];
        for (int i = 0; i < parents.length; i++) {
            insert(subject, parents[i], data[i]);
        }
        long after = usedAfterGc();
        if (holder[0] != subject) {
            throw new AssertionError("unreachable: the holder lost the structure");
        }
        return (double) (after - before) / parents.length;
    }

    /** Inserts the given data object (not a fresh one), so that only the structure's own objects are counted. */
    private static void insert(Subject subject, Object parent, Object d) {
        int id = (int) ShadowVariablesBench.ID;
        if (subject instanceof Subject.Shadow shadow) {
            shadow.table.alloc(parent, id, () -> d, null);
        } else if (subject instanceof Subject.CaffeineSubject caffeine) {
            caffeine.caches[id].put(parent, (Subject.Data) d);
        } else if (subject instanceof Subject.GuavaSubject guava) {
            guava.maps[id].put(parent, (Subject.Data) d);
        } else {
            ((Subject.MapSubject) subject).map.put(new IdentityKey(parent, id), (Subject.Data) d);
        }
    }

    private static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) { // several collections, lowest reading: robust to a collection that left some garbage
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
