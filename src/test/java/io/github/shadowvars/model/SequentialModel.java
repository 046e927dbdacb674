package io.github.shadowvars.model;

import io.github.shadowvars.kit.Op;
import io.github.shadowvars.kit.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The abstract spec (spec/ShadowAtomic.tla) for ONE caller, written in Java: a map from
 * {@code <obj, id>} to a data token, and the outcome rules of each operation. With one caller
 * the spec's per-operation history (seen) is just the key's value at the call, so every
 * operation has exactly one allowed outcome once its faults are fixed:
 * <ul>
 *   <li>get: the key's data or null;</li>
 *   <li>alloc on a present key: null, "dup", no ctor; getOrAlloc on a present key: the existing
 *       data, "exists", no ctor;</li>
 *   <li>alloc/getOrAlloc on an absent key: allocation failure: null, no ctor; else ctor failure:
 *       null, the ctor ran once with obj; else new data, the ctor ran once with obj;</li>
 *   <li>free: the destructor ran once with (obj, data) if the key was present, which is removed;</li>
 *   <li>freeAll(id): the destructor ran once per key with that id, all removed.</li>
 * </ul>
 * Weak keys (the spec's Die(o)): {@link #collect} removes every key of the object at once, with no
 * destructor call; its entries stay linked (stale) until the next operation that takes the writer
 * lock (alloc or getOrAlloc of an absent key whose allocation succeeds, free, freeAll) or an
 * {@link #expunge()}, which unlinks them all.
 */
final class SequentialModel {

    /** The map: "obj id" -> data token; sorted so that freeAll's order is deterministic. */
    private final Map<String, String> map = new TreeMap<>();
    private int tokens;
    /** Weak keys: entries of collected objects still linked; all expunged so far. */
    private int stale;
    private long expunged;

    private static String key(String obj, long id) {
        return obj + " " + id;
    }

    /** The object dies: every key of obj removed, no destructor call; returns how many became stale. */
    int collect(String obj) {
        int before = map.size();
        map.keySet().removeIf(k -> k.startsWith(obj + " "));
        stale += before - map.size();
        return before - map.size();
    }

    /** expunge(): unlinks every stale entry; returns how many. */
    int expunge() {
        int n = stale;
        expunged += n;
        stale = 0;
        return n;
    }

    /** Stale entries: still linked, their object dead. */
    int stale() {
        return stale;
    }

    /** Stale entries unlinked so far (by expunge() and by the writes). */
    long expunged() {
        return expunged;
    }

    /** Applies op and returns its only allowed outcome. */
    Outcome apply(Op op) {
        String k = op.obj() == null ? null : key(op.obj(), op.id());
        String present = k == null ? null : map.get(k);
        boolean takesLock = switch (op.kind()) {
            case GET -> false;
            case ALLOC, GET_OR_ALLOC -> present == null && !op.allocFails(); // else the pre-check's answer, or no entry
            case FREE, FREE_ALL -> true;
        };
        if (takesLock) {
            expunge();                                   // every write expunges first, under its lock
        }
        switch (op.kind()) {
            case GET:
                return new Outcome("value", present == null ? "-" : present, "-", List.of());
            case ALLOC:
            case GET_OR_ALLOC:
                if (present != null) {
                    return op.kind() == Op.Kind.ALLOC
                            ? new Outcome("dup", "-", "-", List.of())
                            : new Outcome("exists", present, "-", List.of());
                }
                if (op.allocFails()) {
                    return new Outcome("allocFail", "-", "-", List.of());
                }
                if (op.ctorFails()) {
                    return new Outcome("ctorFail", "-", op.obj(), List.of());
                }
                String token = "d" + (++tokens);
                map.put(k, token);
                return new Outcome("new", token, op.obj(), List.of());
            case FREE:
                if (present == null) {
                    return new Outcome("done", "-", "-", List.of());
                }
                map.remove(k);
                return new Outcome("done", "-", "-", List.of(op.obj() + "=" + present));
            case FREE_ALL:
                List<String> dtors = new ArrayList<>();
                map.entrySet().removeIf(e -> {
                    String[] objId = e.getKey().split(" ");
                    if (Long.parseLong(objId[1]) != op.id()) {
                        return false;
                    }
                    dtors.add(objId[0] + "=" + e.getValue());
                    return true;
                });
                return new Outcome("done", "-", "-", dtors);
            default:
                throw new AssertionError(op);
        }
    }
}
