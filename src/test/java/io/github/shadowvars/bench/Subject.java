package io.github.shadowvars.bench;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.shadowvars.AllocationFaults;
import io.github.shadowvars.Rcu;
import io.github.shadowvars.ShadowVariables;

/**
 * The structure under measurement, behind one small interface: the shadow table or one of the
 * two baseline maps. A JMH fork runs one parameter combination, so only one implementation is
 * loaded per fork and every call through this interface is monomorphic (inlined by the JIT).
 */
interface Subject {

    /** The data every variable holds (a small object, as a shadow variable's data usually is). */
    final class Data {
        long value;
    }

    Supplier<Data> NEW_DATA = Data::new;
    Function<IdentityKey, Data> NEW_DATA_FOR_KEY = k -> new Data();

    /** klp_shadow_get / Map.get. */
    Object get(Object obj, long id);

    /** klp_shadow_get_or_alloc / Map.computeIfAbsent. */
    Object getOrAlloc(Object obj, long id);

    /** klp_shadow_alloc / Map.computeIfAbsent (the maps do not warn on an existing key). */
    Object alloc(Object obj, long id);

    /** klp_shadow_free / Map.remove. */
    void free(Object obj, long id);

    /** klp_shadow_free_all / removing every key with that id (a scan of the whole map). */
    void freeAll(long id);

    /**
     * A new, empty subject.
     *
     * @param impl       "shadow" (the checked flavour: an Rcu domain), "shadowgc" (the GC flavour, the
     *                   default table), "chm" (ConcurrentHashMap) or "sync" (Collections.synchronizedMap(HashMap))
     * @param bucketBits log2 of the shadow table's bucket count (ignored by the maps)
     */
    static Subject create(String impl, int bucketBits) {
        return switch (impl) {
            case "shadow" -> new Shadow(new ShadowVariables(bucketBits, new Rcu(), AllocationFaults.NEVER));
            case "shadowgc" -> new Shadow(new ShadowVariables(bucketBits));
            case "chm" -> new MapSubject(new ConcurrentHashMap<>());
            case "sync" -> new MapSubject(Collections.synchronizedMap(new HashMap<>()));
            default -> throw new IllegalArgumentException("impl must be shadow, shadowgc, chm or sync: " + impl);
        };
    }

    /** The shadow table; ctor and dtor are null (no extra work beyond the table's). */
    final class Shadow implements Subject {
        final ShadowVariables table;

        Shadow(ShadowVariables table) {
            this.table = table;
        }

        @Override
        public Object get(Object obj, long id) {
            return table.get(obj, id);
        }

        @Override
        public Object getOrAlloc(Object obj, long id) {
            return table.getOrAlloc(obj, id, NEW_DATA, null);
        }

        @Override
        public Object alloc(Object obj, long id) {
            return table.alloc(obj, id, NEW_DATA, null);
        }

        @Override
        public void free(Object obj, long id) {
            table.free(obj, id, null);
        }

        @Override
        public void freeAll(long id) {
            table.freeAll(id, null);
        }
    }

    /**
     * A baseline map keyed by {@link IdentityKey}. Every call builds a key record, as a user of
     * such a map would; the JIT usually removes that allocation (escape analysis) when the map
     * call is inlined, -prof gc shows whether it did.
     */
    final class MapSubject implements Subject {
        final Map<IdentityKey, Data> map;

        MapSubject(Map<IdentityKey, Data> map) {
            this.map = map;
        }

        @Override
        public Object get(Object obj, long id) {
            return map.get(new IdentityKey(obj, id));
        }

        @Override
        public Object getOrAlloc(Object obj, long id) {
            return map.computeIfAbsent(new IdentityKey(obj, id), NEW_DATA_FOR_KEY);
        }

        @Override
        public Object alloc(Object obj, long id) {
            return map.computeIfAbsent(new IdentityKey(obj, id), NEW_DATA_FOR_KEY);
        }

        @Override
        public void free(Object obj, long id) {
            map.remove(new IdentityKey(obj, id));
        }

        @Override
        public void freeAll(long id) {
            map.keySet().removeIf(k -> k.id() == id);
        }
    }
}
