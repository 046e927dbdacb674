package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.shadowvars.kit.SeededBugs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A plain two-thread stress of the one store-load fence the RCU domain pays for: the reader's
 * entry store (Rcu.enter) against its first load of the list. Dekker-shaped: the reader stores its
 * epoch, then loads the head; the writer unlinks (stores the head), then its grace period loads
 * the reader's epoch. With the fence, "the reader got the node" and "the grace period read the
 * reader as outside" cannot both happen; without it (seeded bug READER_ENTRY_RELEASE_STORE, the
 * entry as a release store) x86's store buffer allows it: the entry store is still buffered when
 * the head load and the scan run.
 *
 * <p>Rounds, no sleeps: the writer publishes a fresh node and starts round k; the reader (one
 * long-lived thread, registered once, so the scans keep its record's cache line shared and its
 * entry store has to wait for ownership) waits for the round, pauses a random few nanoseconds,
 * makes one plain store to a line the writer has just written (a store that misses, buffered ahead
 * of the entry store), enters, loads the head and, if it got the node, records the round, reads the
 * node's reclaimed flag a few times and records that it is leaving. The writer, after its own random
 * pause, writes that line, unlinks, calls synchronize(), marks the node reclaimed and checks that a
 * reader that recorded the node has also recorded leaving. Counted per run: rounds, rounds in
 * which the reader got the node, <b>early</b> (synchronize returned while a section that got the
 * node was still running) and <b>poisoned</b> (the reader saw its node reclaimed). Either is
 * impossible with the real domain.
 *
 * <p>Each run is a JVM of its own (as jcstress forks): how often the seeded bug shows depends on
 * the JVM's state (its compiled code, where its objects landed), not on the seed or the share of
 * rounds in which the reader got the node. Measured on 2026-12-07 (2-core EPYC, idle): five fresh
 * JVMs of 10 s, each with an extra pause steering the reader's share of the node to 3, 10, 20, 35
 * or 50 %, caught it 47, 1, 15, 1,133 and 0 times (so the share does not predict it); six fresh JVMs
 * of this test as it is caught it in 0.35 to 8.5 s each; in the main job of 2026-12-07 one
 * long-lived JVM (the tests' own, after 80 minutes of other work) ran 98.8 M rounds with none. So the seeded run is
 * up to {@value #ATTEMPTS} fresh JVMs of {@value #ATTEMPT_MILLIS} ms each, stopping at the first
 * catch, and reports every attempt.
 *
 * <p>Runs only in the main job or with {@code -Dshadowvars.fenceStress=true}. The real domain runs
 * for {@code -Dshadowvars.fenceStress.millis} (default 20,000) and must show neither. The seeded
 * bug's run must show one of them: each attempt stops at its first catch; with
 * {@code -Dshadowvars.fenceStress.fullRun=true} one attempt runs for the full duration and reports the counts
 * instead. {@code -Dshadowvars.fenceStress.bug=NAME} runs another seeded bug in its place (a control:
 * PLAIN_HEAD_WRITE puts its classes ahead of the real ones but leaves Rcu as it is, and must not be caught).
 * The seed of the pauses is {@code -Dshadowvars.fenceStress.seed} (default: the clock); the seeded
 * run's JVM number a uses that seed plus a (each printed).
 */
class ReaderEntryFenceStressTest {

    /** A node the reader can reach from the head. */
    static final class Node {
        volatile int reclaimed;
    }

    /** What the two threads share; the fields the writer writes and the reader polls apart from the rest. */
    static final class Shared {
        volatile int round;
        volatile int readerDone;
        volatile Node head;
        volatile int saw;
        volatile int leaving;
        /** Set by the reader when it saw its node reclaimed (the writer may stop at the first catch). */
        volatile boolean poisonSeen;
    }

    /** The line the reader's pre-entry store misses on: the writer writes it every round. */
    static final class Hot {
        long p0, p1, p2, p3, p4, p5, p6;
        int x;
        long q0, q1, q2, q3, q4, q5, q6;
    }

    /** Keeps the pause loops from being optimised away. */
    static volatile long sink;

    private static final int READ_SPINS = 16;
    /** Pauses are 0..MAX_PAUSE iterations of a short dependent loop (about a nanosecond each). */
    private static final int MAX_PAUSE = 256;

    static boolean enabled() {
        return "main".equals(System.getProperty("shadowvars.mode", "test")) || Boolean.getBoolean("shadowvars.fenceStress");
    }

    /** The seeded-bug run: at most this many fresh JVMs... */
    static final int ATTEMPTS = 6;
    /** ...of this many ms each, stopping at the first catch. */
    static final long ATTEMPT_MILLIS = 20_000;

    static long millis() {
        return Long.getLong("shadowvars.fenceStress.millis", 20_000);
    }

    static long seed() {
        return Long.getLong("shadowvars.fenceStress.seed", System.nanoTime());
    }

    @Test
    void realDomainNeverReleasesTheGracePeriodEarly() throws Exception {
        Assumptions.assumeTrue(enabled(), "main job only (or -Dshadowvars.fenceStress=true)");
        long seed = seed();
        long[] c = inFreshJvm("NONE", millis(), seed, false);
        System.out.println("fence stress, real domain: " + describe(c, seed));
        assertEquals(0, c[2], "synchronize returned while a section that got the node was running");
        assertEquals(0, c[3], "a reader saw its node reclaimed");
    }

    @Test
    void releaseStoreEntry() throws Exception {
        Assumptions.assumeTrue(enabled(), "main job only (or -Dshadowvars.fenceStress=true)");
        long seed = seed();
        String bug = System.getProperty("shadowvars.fenceStress.bug", "READER_ENTRY_RELEASE_STORE");
        boolean fullRun = Boolean.getBoolean("shadowvars.fenceStress.fullRun");
        StringBuilder attempts = new StringBuilder();
        boolean caught = false;
        for (int a = 1; a <= (fullRun ? 1 : ATTEMPTS) && !caught; a++) {
            long[] c = inFreshJvm(bug, fullRun ? millis() : ATTEMPT_MILLIS, seed + a, !fullRun);
            String line = "fence stress, seeded bug " + bug + ", JVM " + a + ": " + describe(c, seed + a);
            System.out.println(line);
            attempts.append("\n  ").append(line);
            caught = c[2] + c[3] > 0;
        }
        assertTrue(caught, bug + " was not caught in any JVM:" + attempts);
    }

    /**
     * Runs {@link #stress} in a JVM of its own, with seeded bug {@code bug}'s classes ahead of the
     * real ones ("NONE": the real classes), and returns its counts. A JVM that fails or hangs fails
     * the test as a tool failure, never as a catch.
     */
    static long[] inFreshJvm(String bug, long millis, long seed, boolean stopAtFirst) throws Exception {
        String cp = System.getProperty("java.class.path");
        Path seeded = null;
        if (!bug.equals("NONE")) {
            seeded = SeededBugs.classes(bug).toAbsolutePath();
            cp = seeded + java.io.File.pathSeparator + cp;
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                ReaderEntryFenceStressTest.class.getName(), Long.toString(millis), Long.toString(seed),
                Boolean.toString(stopAtFirst));
        Path log = Files.createTempFile("fence-stress", ".log");
        Process p = null;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(millis + 120_000, TimeUnit.MILLISECONDS)) {   // a guard against a hang, not a timing assertion
                throw new AssertionError("tool failure: the stress JVM did not end; its output: " + Files.readString(log));
            }
            String out = Files.readString(log);
            long[] counts = null;
            String rcuFrom = null;
            for (String line : out.split("\n")) {
                if (line.startsWith(RESULT)) {
                    counts = Arrays.stream(line.substring(RESULT.length()).trim().split(" ")).mapToLong(Long::parseLong).toArray();
                } else if (line.startsWith(RCU_FROM)) {
                    rcuFrom = line.substring(RCU_FROM.length()).trim();
                }
            }
            if (p.exitValue() != 0 || counts == null || counts.length != 5 || rcuFrom == null) {
                throw new AssertionError("tool failure: the stress JVM (exit " + p.exitValue() + ") printed no complete result: " + out);
            }
            // the Rcu the stress ran on: the seeded bug's classes, or the real ones
            boolean fromSeeded = seeded != null && Path.of(rcuFrom).toAbsolutePath().normalize().equals(seeded.normalize());
            boolean seededHasRcu = seeded != null && Files.exists(seeded.resolve("io/github/shadowvars/Rcu.class"));
            if (fromSeeded != seededHasRcu) {
                throw new AssertionError("tool failure: the stress JVM ran the Rcu of " + rcuFrom + " (seeded bug " + bug + ")");
            }
            return counts;
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    private static final String RESULT = "fence-stress-result:";

    private static final String RCU_FROM = "fence-stress-rcu-from:";

    /**
     * The stress JVM: arguments millis, seed, stopAtFirst; prints where its Rcu class came from and
     * its counts, one line each.
     */
    public static void main(String[] args) throws Exception {
        System.out.println(RCU_FROM + " " + Path.of(Rcu.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        long[] c = stress(Long.parseLong(args[0]), Long.parseLong(args[1]), Boolean.parseBoolean(args[2]));
        StringBuilder b = new StringBuilder(RESULT);
        for (long x : c) {
            b.append(' ').append(x);
        }
        System.out.println(b);
    }

    static String describe(long[] c, long seed) {
        return String.format("seed %d: %,d rounds in %,d ms, reader got the node in %,d (%.1f %%), early %,d, poisoned %,d",
                seed, c[0], c[4], c[1], c[0] == 0 ? 0.0 : 100.0 * c[1] / c[0], c[2], c[3]);
    }

    /**
     * Runs the rounds for about {@code millis} ms on a new domain of the Rcu class on this JVM's
     * class path (with {@code stopAtFirst}, stops at the first early or poisoned round). Returns {rounds, reader got the node, early, poisoned, elapsed ms}.
     */
    static long[] stress(long millis, long seed, boolean stopAtFirst) throws Exception {
        Rcu rcu = new Rcu(Runnable::run); // the reclaimer plays no part: synchronize only
        Shared s = new Shared();
        Hot hot = new Hot();
        long[] readerCounts = new long[2];  // got the node, poisoned
        long[] writerCounts = new long[2];  // rounds, early
        long deadline = System.nanoTime() + millis * 1_000_000L;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                long rnd = seed ^ 0x9E3779B97F4A7C15L;
                long got = 0;
                long poisoned = 0;
                int k = 1;
                while (true) {
                    int r;
                    while ((r = s.round) != k) {
                        if (r < 0) {
                            readerCounts[0] = got;
                            readerCounts[1] = poisoned;
                            return;
                        }
                        Thread.onSpinWait();
                    }
                    rnd ^= rnd << 13; rnd ^= rnd >>> 7; rnd ^= rnd << 17;
                    pause((int) ((rnd >>> 33) % MAX_PAUSE));
                    hot.x = k;                           // plain store that misses: buffered ahead of the entry store
                    rcu.readLock();
                    try {
                        Node n = s.head;
                        if (n != null) {
                            got++;
                            s.saw = k;
                            for (int i = 0; i < READ_SPINS; i++) {
                                if (n.reclaimed != 0) {
                                    poisoned++;
                                    s.poisonSeen = true;
                                    break;
                                }
                                Thread.onSpinWait();
                            }
                            s.leaving = k;
                        }
                    } finally {
                        rcu.readUnlock();
                    }
                    s.readerDone = k;
                    k++;
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "fence-stress-reader");
        reader.setDaemon(true);
        long start = System.nanoTime();
        reader.start();
        long rnd = seed;
        long early = 0;
        int k = 1;
        try {
            while (failure.get() == null && ((k & 255) != 0 || System.nanoTime() < deadline)
                    && !(stopAtFirst && (early > 0 || s.poisonSeen))) {
                Node n = new Node();
                s.head = n;
                s.round = k;
                rnd ^= rnd << 13; rnd ^= rnd >>> 7; rnd ^= rnd << 17;
                pause((int) ((rnd >>> 33) % MAX_PAUSE));
                hot.x = -k;
                s.head = null;                           // unlink
                rcu.synchronize();                       // grace period
                n.reclaimed = 1;                         // reclaim
                if (s.saw == k && s.leaving != k) {
                    early++;
                }
                while (s.readerDone != k) {
                    if (failure.get() != null) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                k++;
            }
        } finally {
            s.round = -1;
            reader.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("reader failed", failure.get());
        }
        writerCounts[0] = k - 1;
        writerCounts[1] = early;
        long[] out = {writerCounts[0], readerCounts[0], writerCounts[1], readerCounts[1],
                (System.nanoTime() - start) / 1_000_000};
        return Arrays.copyOf(out, out.length);
    }

    private static void pause(int n) {
        long x = n;
        for (int i = 0; i < n; i++) {
            x = x * 31 + i;
        }
        if (x == 42) {
            sink = x;
        }
    }
}
