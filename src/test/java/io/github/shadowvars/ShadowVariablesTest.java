package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Single-threaded behaviour of the table (plus second threads joined to show the lock was released). */
@Timeout(60) // hang guard only (a leaked lock would block a second thread forever); no test depends on timing
class ShadowVariablesTest {

    /** A key with value equality, to show the table compares obj by identity. */
    record Key(String name) { }

    /** The data type used by most tests: a mutable box. */
    static final class Box {
        int value;

        Box(int value) {
            this.value = value;
        }
    }

    final RecordingLogger log = new RecordingLogger();

    final LockWatch locks = new LockWatch();

    ShadowVariables table(int bucketBits, AllocationFaults faults) {
        return new TracedShadowVariables(bucketBits, new Rcu(), faults, log, locks);
    }

    ShadowVariables table(int bucketBits) {
        return table(bucketBits, AllocationFaults.NEVER);
    }

    /** Runs {@code action} on a second thread, joins it and returns what it returned. */
    static <T> T onOtherThread(java.util.function.Supplier<T> action) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(action.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError("second thread failed", failure.get());
        }
        return result.get();
    }

    @Test
    void defaultTableHappyPath() {
        ShadowVariables t = new ShadowVariables();
        Object obj = new Object();
        assertNull(t.get(obj, 1));
        Box b = t.getOrAlloc(obj, 1, () -> new Box(0), null);
        assertNotNull(b);
        assertSame(b, t.get(obj, 1));
        assertSame(b, t.getOrAlloc(obj, 1, () -> new Box(9), null));
        Box c = t.alloc(obj, 2, () -> new Box(2), null);
        assertSame(c, t.get(obj, 2));
        t.free(obj, 1, null);
        assertNull(t.get(obj, 1));
        assertSame(c, t.get(obj, 2));
        t.freeAll(2, null);
        assertNull(t.get(obj, 2));
        assertNull(t.rcu(), "the default table leaves removed variables to the GC: no RCU domain");
        Stats s = t.stats();
        assertEquals(new Stats(2, 2, 0, 2, 2, 0), s, "without a domain a removed variable counts as reclaimed at once");
        assertEquals(0, s.live());
    }

    @Test
    void ctorInitialisesDataBeforeItIsVisible() {
        ShadowVariables t = table(12);
        Object obj = new Object();
        Box b = t.alloc(obj, 5, () -> new Box(0), (o, data) -> {
            assertSame(obj, o);
            assertNull(t.get(obj, 5), "not published while the ctor runs (get from a ctor is allowed)");
            data.value = 42;
            return 0;
        });
        assertEquals(42, b.value);
        assertSame(b, t.get(obj, 5));
    }

    @Test
    void objIsComparedByIdentityNotEquals() {
        ShadowVariables t = table(0);
        Key a = new Key("same");
        Key b = new Key("same");
        assertEquals(a, b);
        Box da = t.alloc(a, 1, () -> new Box(1), null);
        Box db = t.alloc(b, 1, () -> new Box(2), null);
        assertNotNull(db, "an equal but distinct obj is a different key");
        assertNotSame(da, db);
        assertSame(da, t.get(a, 1));
        assertSame(db, t.get(b, 1));
        assertNull(t.get(new Key("same"), 1));
        t.free(a, 1, null);
        assertNull(t.get(a, 1));
        assertSame(db, t.get(b, 1));
        assertTrue(log.records.isEmpty());
    }

    @Test
    void idsAtTheEdgesAreDistinctKeys() {
        ShadowVariables t = table(12);
        Object obj = new Object();
        long[] ids = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1};
        for (long id : ids) {
            assertNotNull(t.alloc(obj, id, () -> new Box((int) (id % 1000)), null));
        }
        for (long id : ids) {
            Box b = t.get(obj, id);
            assertEquals((int) (id % 1000), b.value);
        }
        t.freeAll(-1, null);
        assertNull(t.get(obj, -1));
        t.free(obj, Long.MIN_VALUE, null);
        assertNull(t.get(obj, Long.MIN_VALUE));
        assertNotNull(t.get(obj, 0));
        assertNotNull(t.get(obj, Long.MAX_VALUE));
        assertNotNull(t.get(obj, 1));
    }

    @Test
    void duplicateAllocReturnsNullWarnsAndSkipsAllocationAndCtor() {
        ShadowVariables t = table(12);
        Key obj = new Key("dup");
        Box first = t.alloc(obj, 0x1234, () -> new Box(1), null);
        AtomicInteger allocations = new AtomicInteger();
        AtomicInteger ctorCalls = new AtomicInteger();
        Box second = t.alloc(obj, 0x1234, () -> {
            allocations.incrementAndGet();
            return new Box(2);
        }, (o, d) -> ctorCalls.incrementAndGet() * 0);
        assertNull(second);
        assertEquals(0, allocations.get(), "the lockless pre-check found it: nothing allocated");
        assertEquals(0, ctorCalls.get());
        assertSame(first, t.get(obj, 0x1234));
        List<RecordingLogger.Entry> warnings = log.at(Level.WARNING);
        assertEquals(1, warnings.size());
        assertEquals("Duplicate shadow variable <" + pointer(obj) + ", 1234>" /* the id as the kernel prints it: %lx */, warnings.get(0).message());
        assertEquals(1, t.stats().published());
    }

    /** How the table names obj in a log record: the kernel's %p, class name and identity hash, never toString. */
    static String pointer(Object obj) {
        return obj.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(obj));
    }

    /** A parent object whose toString throws, and counts its calls (issue 25: the table must never call it). */
    static final class HostileToString {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String toString() {
            calls.incrementAndGet();
            throw new IllegalStateException("toString of an object the table does not own");
        }
    }

    @Test
    void logRecordsNameObjByClassAndIdentityHashAndNeverCallItsToString() {
        ShadowVariables t = table(12);
        HostileToString obj = new HostileToString();
        assertNotNull(t.alloc(obj, 7, () -> new Box(1), null));
        Box duplicate = assertDoesNotThrow(() -> t.<Box>alloc(obj, 7, () -> new Box(2), null));
        assertNull(duplicate, "a duplicate alloc returns null, as documented");
        Box ctorFailed = assertDoesNotThrow(() -> t.<Box>alloc(obj, 8, () -> new Box(3), (o, d) -> -12));
        assertNull(ctorFailed, "a constructor error code returns null, as documented");
        assertEquals(0, obj.calls.get(), "obj.toString() was called");
        assertEquals(List.of(new RecordingLogger.Entry(Level.WARNING, "Duplicate shadow variable <" + pointer(obj) + ", 7>"),
                new RecordingLogger.Entry(Level.ERROR, "Failed to construct shadow variable <" + pointer(obj) + ", 8> (-12)")),
                log.records);
    }

    @Test
    void withTheLevelOffNoLogRecordIsBuilt() {
        java.lang.System.Logger off = new java.lang.System.Logger() {
            @Override
            public String getName() {
                return "off";
            }

            @Override
            public boolean isLoggable(Level level) {
                return false;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                throw new AssertionError("a record was passed to a logger whose level is off: " + msg);
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                throw new AssertionError("a record was passed to a logger whose level is off: " + format);
            }
        };
        ShadowVariables t = new ShadowVariables(12, new Rcu(), AllocationFaults.NEVER, Keys.STRONG, off);
        HostileToString obj = new HostileToString();
        t.alloc(obj, 7, () -> new Box(1), null);
        assertNull(assertDoesNotThrow(() -> t.<Box>alloc(obj, 7, () -> new Box(2), null)));
        assertNull(assertDoesNotThrow(() -> t.<Box>alloc(obj, 8, () -> new Box(3), (o, d) -> -12)));
        assertEquals(0, obj.calls.get());
    }

    @Test
    void getOrAllocReturnsExistingWithoutCtorOrWarning() {
        ShadowVariables t = table(12);
        Object obj = new Object();
        AtomicInteger ctorCalls = new AtomicInteger();
        Constructor<Box> ctor = (o, d) -> {
            ctorCalls.incrementAndGet();
            return 0;
        };
        Box first = t.getOrAlloc(obj, 3, () -> new Box(1), ctor);
        Box again = t.getOrAlloc(obj, 3, () -> new Box(2), ctor);
        assertSame(first, again);
        assertEquals(1, ctorCalls.get());
        assertTrue(log.records.isEmpty());
    }

    @Test
    void ctorErrorCodePublishesNothingLogsErrorAndReleasesTheLock() throws Exception {
        ShadowVariables t = table(12);
        Key obj = new Key("ctor-fails");
        Box r = t.alloc(obj, 9, () -> new Box(0), (o, d) -> -12);
        assertNull(r);
        assertNull(t.get(obj, 9));
        assertFalse(locks.isLocked());
        List<RecordingLogger.Entry> errors = log.at(Level.ERROR);
        assertEquals(1, errors.size());
        assertEquals("Failed to construct shadow variable <" + pointer(obj) + ", 9> (-12)", errors.get(0).message());
        assertEquals(new Stats(1, 0, 1, 0, 0, 0), t.stats());
        assertEquals(0, t.rcu().pendingCallbacks(), "a never-published entry needs no grace period");
        Box other = onOtherThread(() -> t.<Box>getOrAlloc(obj, 9, () -> new Box(5), null));
        assertEquals(5, other.value);
        assertSame(other, t.get(obj, 9));
    }

    @Test
    void ctorThrowingPublishesNothingReleasesTheLockAndPropagates() throws Exception {
        ShadowVariables t = table(12);
        Object obj = new Object();
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> t.getOrAlloc(obj, 9, () -> new Box(0), (o, d) -> {
                    throw boom;
                }));
        assertSame(boom, thrown);
        assertNull(t.get(obj, 9));
        assertFalse(locks.isLocked());
        assertEquals(new Stats(1, 0, 1, 0, 0, 0), t.stats());
        Box other = onOtherThread(() -> t.<Box>alloc(obj, 9, () -> new Box(5), null));
        assertSame(other, t.get(obj, 9));
    }

    @Test
    void allocationFailureInjectedThroughAllocationFaults() {
        AtomicInteger failuresLeft = new AtomicInteger(1);
        List<String> asked = new ArrayList<>();
        ShadowVariables t = table(12, (o, id) -> {
            asked.add(o + "/" + id);
            return failuresLeft.getAndDecrement() > 0;
        });
        Key obj = new Key("k");
        AtomicInteger allocations = new AtomicInteger();
        AtomicInteger ctorCalls = new AtomicInteger();
        Box r = t.alloc(obj, 4, () -> {
            allocations.incrementAndGet();
            return new Box(1);
        }, (o, d) -> ctorCalls.incrementAndGet() * 0);
        assertNull(r);
        assertEquals(List.of("Key[name=k]/4"), asked);
        assertEquals(0, allocations.get());
        assertEquals(0, ctorCalls.get());
        assertNull(t.get(obj, 4));
        assertEquals(new Stats(0, 0, 0, 0, 0, 0), t.stats());
        assertNotNull(t.alloc(obj, 4, () -> new Box(1), null), "the next allocation is not failed");
    }

    @Test
    void allocationFailureThroughASupplierReturningNull() {
        ShadowVariables t = table(12);
        Object obj = new Object();
        AtomicInteger ctorCalls = new AtomicInteger();
        assertNull(t.<Box>getOrAlloc(obj, 4, () -> null, (o, d) -> ctorCalls.incrementAndGet() * 0));
        assertNull(t.<Box>alloc(obj, 4, () -> null, null));
        assertEquals(0, ctorCalls.get());
        assertNull(t.get(obj, 4));
        assertEquals(new Stats(0, 0, 0, 0, 0, 0), t.stats());
        assertTrue(log.records.isEmpty());
    }

    @Test
    void freeCallsDtorWithObjAndDataAndDefersReclamation() {
        ShadowVariables t = table(12);
        Object obj = new Object();
        Box data = t.alloc(obj, 1, () -> new Box(1), null);
        List<Object> seen = new ArrayList<>();
        t.<Box>free(obj, 1, (o, d) -> {
            seen.add(o);
            seen.add(d);
        });
        assertEquals(List.of(obj, data), seen);
        assertNull(t.get(obj, 1));
        // No reader was inside, so the opportunistic processCallbacks after unlock already reclaimed it.
        assertEquals(new Stats(1, 1, 0, 1, 1, 0), t.stats());
    }

    @Test
    void freeOfAnAbsentKeyIsANoOp() {
        ShadowVariables t = table(0);
        Object obj = new Object();
        Box keep = t.alloc(obj, 1, () -> new Box(1), null);
        AtomicInteger dtorCalls = new AtomicInteger();
        t.free(obj, 2, (o, d) -> dtorCalls.incrementAndGet());
        t.free(new Object(), 1, (o, d) -> dtorCalls.incrementAndGet());
        t.freeAll(3, (o, d) -> dtorCalls.incrementAndGet());
        assertEquals(0, dtorCalls.get());
        assertSame(keep, t.get(obj, 1));
        assertEquals(0, t.rcu().pendingCallbacks());
        assertEquals(new Stats(1, 1, 0, 0, 0, 0), t.stats());
    }

    @Test
    void freeUnlinksHeadMiddleAndTailOfOneBucket() {
        ShadowVariables t = table(0); // one bucket: every key shares it
        Object[] objs = {new Object(), new Object(), new Object(), new Object(), new Object()};
        for (int i = 0; i < objs.length; i++) {
            int v = i;
            t.alloc(objs[i], 1, () -> new Box(v), null);
        }
        // The bucket is newest first: 4 3 2 1 0. Remove the head (4), a middle one (2), the tail (0).
        for (int i : new int[]{4, 2, 0}) {
            t.free(objs[i], 1, null);
        }
        for (int i = 0; i < objs.length; i++) {
            Box b = t.get(objs[i], 1);
            if (i % 2 == 0) {
                assertNull(b, "freed " + i);
            } else {
                assertEquals(i, b.value);
            }
        }
        assertEquals(3, t.stats().reclaimed());
    }

    @Test
    void freeAllRemovesEveryObjWithThatIdAcrossAndWithinBuckets() {
        for (int bits : new int[]{0, 12}) {
            ShadowVariables t = table(bits);
            Object a = new Object();
            Object b = new Object();
            Object c = new Object();
            Object d = new Object();
            Object e = new Object();
            // With bits 0 the single bucket holds (newest first): e7 d8 c7 b8 a7.
            Box ba = t.alloc(a, 7, () -> new Box(1), null);
            Box bb = t.alloc(b, 8, () -> new Box(2), null);
            Box bc = t.alloc(c, 7, () -> new Box(3), null);
            Box bd = t.alloc(d, 8, () -> new Box(4), null);
            Box be = t.alloc(e, 7, () -> new Box(5), null);
            Box a8 = t.alloc(a, 8, () -> new Box(6), null);
            List<Object> destroyed = new ArrayList<>();
            t.<Box>freeAll(7, (o, data) -> {
                destroyed.add(o);
                destroyed.add(data);
            });
            assertEquals(6, destroyed.size());
            for (Object[] pair : new Object[][]{{a, ba}, {c, bc}, {e, be}}) {
                int i = destroyed.indexOf(pair[0]);
                assertTrue(i >= 0 && i % 2 == 0, "dtor called for each obj with id 7");
                assertSame(pair[1], destroyed.get(i + 1), "dtor got that obj's data");
                assertNull(t.get(pair[0], 7));
            }
            assertSame(bb, t.get(b, 8));
            assertSame(bd, t.get(d, 8));
            assertSame(a8, t.get(a, 8));
            t.rcu().barrier();
            assertEquals(new Stats(6, 6, 0, 3, 3, 0), t.stats());
        }
    }

    @Test
    void dtorThrowingStillFreesAndReclaimsAndReleasesTheLock() throws Exception {
        ShadowVariables t = table(12);
        Object obj = new Object();
        t.alloc(obj, 1, () -> new Box(1), null);
        IllegalStateException boom = new IllegalStateException("dtor");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> t.free(obj, 1, (o, d) -> {
            throw boom;
        })));
        assertNull(t.get(obj, 1));
        assertFalse(locks.isLocked());
        t.rcu().barrier();
        assertEquals(new Stats(1, 1, 0, 1, 1, 0), t.stats());
        assertNotNull(onOtherThread(() -> t.<Box>alloc(obj, 1, () -> new Box(2), null)));
    }

    @Test
    void freeAllWithThrowingDtorsFreesAllAndThrowsTheFirstWithTheOthersSuppressed() {
        ShadowVariables t = table(0);
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        t.alloc(a, 1, () -> new Box(1), null);
        t.alloc(b, 1, () -> new Box(2), null);
        t.alloc(c, 1, () -> new Box(3), null);
        List<RuntimeException> thrown = new ArrayList<>();
        List<Object> visited = new ArrayList<>();
        RuntimeException first = assertThrows(RuntimeException.class, () -> t.<Box>freeAll(1, (o, d) -> {
            visited.add(o);
            if (d.value != 2) { // a and c throw, b does not
                RuntimeException e = new RuntimeException("dtor " + d.value);
                thrown.add(e);
                throw e;
            }
        }));
        assertEquals(3, visited.size());
        assertEquals(2, thrown.size());
        assertSame(thrown.get(0), first);
        assertEquals(List.of(thrown.get(1)), List.of(first.getSuppressed()));
        assertNull(t.get(a, 1));
        assertNull(t.get(b, 1));
        assertNull(t.get(c, 1));
        t.rcu().barrier();
        assertEquals(new Stats(3, 3, 0, 3, 3, 0), t.stats());
    }

    /** The four writer calls, each on a key (x, 1) that exists before (free, freeAll) or not (alloc, getOrAlloc). */
    static Consumer<ShadowVariables> writerCall(String op, Object x) {
        return switch (op) {
            case "alloc" -> t -> t.alloc(x, 1, () -> new Box(1), null);
            case "getOrAlloc" -> t -> t.getOrAlloc(x, 1, () -> new Box(1), null);
            case "free" -> t -> t.free(x, 1, null);
            case "freeAll" -> t -> t.freeAll(1, null);
            default -> throw new IllegalArgumentException(op);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"alloc", "getOrAlloc", "free", "freeAll"})
    void writerCallFromCtorOfTheSameTableIsRefusedAndChangesNothing(String op) {
        ShadowVariables t = table(12);
        Object present = new Object();
        Box presentData = t.alloc(present, 1, () -> new Box(0), null);
        Object absent = new Object();
        Object x = op.startsWith("free") ? present : absent;
        AtomicReference<Throwable> inner = new AtomicReference<>();
        Object obj = new Object();
        Box made = t.alloc(obj, 2, () -> new Box(1), (o, d) -> {
            try {
                writerCall(op, x).accept(t);
            } catch (Throwable e) {
                inner.set(e);
            }
            return 0;
        });
        assertNotNull(made);
        assertTrue(inner.get() instanceof IllegalStateException, "got " + inner.get());
        assertTrue(inner.get().getMessage().startsWith(op + " called from a constructor or destructor"));
        assertSame(presentData, t.get(present, 1));
        assertNull(t.get(absent, 1));
        assertEquals(new Stats(2, 2, 0, 0, 0, 0), t.stats());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alloc", "getOrAlloc", "free", "freeAll"})
    void writerCallFromDtorOfTheSameTableIsRefusedAndChangesNothing(String op) {
        ShadowVariables t = table(12);
        Object present = new Object();
        Box presentData = t.alloc(present, 1, () -> new Box(0), null);
        Object absent = new Object();
        Object x = op.startsWith("free") ? present : absent;
        Object victim = new Object();
        t.alloc(victim, 2, () -> new Box(1), null);
        AtomicReference<Throwable> inner = new AtomicReference<>();
        t.free(victim, 2, (o, d) -> {
            try {
                writerCall(op, x).accept(t);
            } catch (Throwable e) {
                inner.set(e);
            }
        });
        assertTrue(inner.get() instanceof IllegalStateException, "got " + inner.get());
        assertSame(presentData, t.get(present, 1));
        assertNull(t.get(absent, 1));
        assertNull(t.get(victim, 2));
        assertEquals(new Stats(2, 2, 0, 1, 1, 0), t.stats());
    }

    /**
     * As in C, alloc and getOrAlloc of a key that exists are answered by the lock-free pre-check:
     * a constructor may call them on its own table for such a key (the kernel would not deadlock
     * either). Only the locked path is re-entry.
     */
    @Test
    void ctorMayLookUpAnExistingKeyOfItsOwnTable() {
        ShadowVariables t = table(12);
        Object present = new Object();
        Box presentData = t.alloc(present, 1, () -> new Box(0), null);
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicReference<Object> dup = new AtomicReference<>(presentData);
        Box made = t.alloc(new Object(), 2, () -> new Box(1), (o, d) -> {
            seen.set(t.getOrAlloc(present, 1, () -> new Box(9), null));
            dup.set(t.alloc(present, 1, () -> new Box(9), null));
            return 0;
        });
        assertNotNull(made);
        assertSame(presentData, seen.get(), "getOrAlloc of an existing key from a ctor returns it");
        assertNull(dup.get(), "alloc of an existing key from a ctor: the duplicate warning, null");
        assertEquals(new Stats(2, 2, 0, 0, 0, 0), t.stats());
    }

    /** stats() reads its counters so that the derived counts never go negative, even mid-churn. */
    @Test
    void statsNeverShowANegativeLiveCount() throws Exception {
        ShadowVariables t = table(12);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            Object obj = new Object();
            while (!stop.get()) {
                t.alloc(obj, 1, () -> new Box(1), null);
                t.free(obj, 1, null);
            }
        });
        writer.start();
        try {
            for (int i = 0; i < 2_000_000; i++) {
                Stats s = t.stats();
                assertTrue(s.live() >= 0, "live " + s);
                assertTrue(s.reclaimed() <= s.unlinked() && s.published() + s.dropped() <= s.allocated(), s.toString());
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    /**
     * Issue 25: C has one klp_shadow_lock for every variable, so a constructor or destructor that
     * calls any writer needing the lock deadlocks; across two Java tables it would deadlock only
     * when A's constructor calls B.alloc while B's calls A.alloc on another thread. Every table
     * refuses a writer call from inside a constructor or destructor of any table, on both flavours;
     * both tables are left unchanged.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"CHECKED,alloc", "CHECKED,getOrAlloc", "CHECKED,free",
            "CHECKED,freeAll", "GC,alloc", "GC,getOrAlloc", "GC,free", "GC,freeAll"})
    void writerCallFromCtorOrDtorOfAnotherTableIsRefusedAndBothTablesAreUnchanged(Flavour flavour, String op) {
        ShadowVariables a = new ShadowVariables(12, flavour.newRcu(), AllocationFaults.NEVER, Keys.STRONG, log);
        ShadowVariables b = new ShadowVariables(12, flavour.newRcu(), AllocationFaults.NEVER, Keys.STRONG, log);
        Object present = new Object();
        Box presentData = b.alloc(present, 1, () -> new Box(0), null);
        Object absent = new Object();
        Object x = op.startsWith("free") ? present : absent;
        Object obj = new Object();
        // From A's constructor, not caught: A's alloc fails with it, nothing published.
        IllegalStateException fromCtor = assertThrows(IllegalStateException.class,
                () -> a.alloc(obj, 2, () -> new Box(1), (o, d) -> {
                    writerCall(op, x).accept(b);
                    return 0;
                }));
        assertEquals(op + " called from a constructor or destructor of another table: the kernel's klp_shadow_lock is"
                + " one lock for every variable, so it would deadlock; the tables are unchanged", fromCtor.getMessage());
        assertNull(a.get(obj, 2));
        assertSame(presentData, b.get(present, 1));
        assertNull(b.get(absent, 1));
        assertEquals(new Stats(1, 0, 1, 0, 0, 0), a.stats());
        assertEquals(new Stats(1, 1, 0, 0, 0, 0), b.stats());
        // From A's destructor: A's free still removes its variable, then throws.
        a.alloc(obj, 3, () -> new Box(3), null);
        IllegalStateException fromDtor = assertThrows(IllegalStateException.class,
                () -> a.free(obj, 3, (o, d) -> writerCall(op, x).accept(b)));
        assertTrue(fromDtor.getMessage().startsWith(op + " called from a constructor or destructor of another table"));
        assertNull(a.get(obj, 3));
        assertSame(presentData, b.get(present, 1));
        assertNull(b.get(absent, 1));
        assertEquals(new Stats(1, 1, 0, 0, 0, 0), b.stats());
        // Outside any callback again: allowed.
        writerCall(op, x).accept(b);
    }

    /** A constructor may still read another table, and look up a key that exists there (the lock-free pre-check, as in C). */
    @Test
    void ctorMayReadAnotherTableAndLookUpAnExistingKeyThere() {
        ShadowVariables a = table(12);
        ShadowVariables b = table(12);
        Object obj = new Object();
        Box there = b.alloc(obj, 1, () -> new Box(2), null);
        Box made = a.alloc(obj, 1, () -> new Box(1), (o, d) -> {
            d.value = b.<Box>get(o, 1).value + b.<Box>getOrAlloc(o, 1, () -> new Box(9), null).value;
            return 0;
        });
        assertEquals(4, made.value);
        assertSame(there, b.get(obj, 1));
    }

    @Test
    void nullObjIsRefusedNamingObj() {
        ShadowVariables t = table(12);
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> t.get(null, 1),
                () -> t.alloc(null, 1, () -> new Box(1), null),
                () -> t.getOrAlloc(null, 1, () -> new Box(1), null),
                () -> t.free(null, 1, null));
        for (var call : calls) {
            assertEquals("obj", assertThrows(NullPointerException.class, call).getMessage());
        }
        assertEquals("allocate", assertThrows(NullPointerException.class,
                () -> t.alloc(new Object(), 1, null, null)).getMessage());
        assertEquals("allocate", assertThrows(NullPointerException.class,
                () -> t.getOrAlloc(new Object(), 1, null, null)).getMessage());
        assertEquals(new Stats(0, 0, 0, 0, 0, 0), t.stats());
    }

    @Test
    void bucketBitsOutsideZeroToThirtyAreRefused() {
        for (int bits : new int[]{-1, 31, 32, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ShadowVariables(bits, new Rcu(), AllocationFaults.NEVER));
            assertTrue(e.getMessage().contains("0..30"), e.getMessage());
        }
        assertNotNull(new ShadowVariables(0, new Rcu(), AllocationFaults.NEVER));
        assertNotNull(new ShadowVariables(16, new Rcu(), AllocationFaults.NEVER));
        assertThrows(IllegalArgumentException.class, () -> new ShadowVariables(31));
    }

    @Test
    void bucketBitsForGivesAtMostOneEntryPerBucketOnAverage() {
        long[][] cases = {{0, 0}, {1, 0}, {2, 1}, {3, 2}, {4096, 12}, {4097, 13}, {100_000, 17}, {1L << 30, 30},
                {(1L << 30) + 1, 30}, {Long.MAX_VALUE, 30}};
        for (long[] c : cases) {
            assertEquals(c[1], ShadowVariables.bucketBitsFor(c[0]), "expected count " + c[0]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShadowVariables.bucketBitsFor(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        ShadowVariables sized = new ShadowVariables(ShadowVariables.bucketBitsFor(100_000));
        Object obj = new Object();
        assertEquals("x", sized.getOrAlloc(obj, 7, () -> "x", null));
        assertEquals("x", sized.get(obj, 7));
    }

    /**
     * A table holding more than 8 variables per bucket on average logs one WARNING with the count
     * and the constructor to use; not before, and not again (here 2 buckets: the 17th live variable
     * crosses the line; frees and later allocs, even past it again, log nothing more).
     */
    @Test
    void aCrowdedTableWarnsOnceWithTheCountAndTheConstructorToUse() {
        ShadowVariables t = table(1);
        List<Object> parents = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            parents.add(new Object());
            assertNotNull(t.alloc(parents.get(i), 1, () -> new Box(0), null));
        }
        assertEquals(List.of(), log.at(Level.WARNING), "16 live in 2 buckets: 8 per bucket, not more");
        Object seventeenth = new Object();
        assertNotNull(t.getOrAlloc(seventeenth, 1, () -> new Box(0), null));
        List<RecordingLogger.Entry> warnings = log.at(Level.WARNING);
        assertEquals(1, warnings.size(), warnings.toString());
        String m = warnings.get(0).message();
        assertTrue(m.contains("2 buckets holds 17 variables (8.5 per bucket on average)"), m);
        assertTrue(m.contains("new ShadowVariables(ShadowVariables.bucketBitsFor(n))"), m);
        t.free(seventeenth, 1, null);
        for (int i = 0; i < 8; i++) {
            assertNotNull(t.alloc(new Object(), 2, () -> new Box(0), null));
        }
        assertEquals(1, log.at(Level.WARNING).size(), "warned once per table");
        assertEquals(25, t.stats().published());
    }
}
