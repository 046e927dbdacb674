package io.github.shadowvars.bench;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.collect.MapMaker;

import io.github.shadowvars.AllocationFaults;
import io.github.shadowvars.Keys;
import io.github.shadowvars.Rcu;
import io.github.shadowvars.ShadowVariables;

/**
 * The structure under measurement, behind one small interface: the shadow table or one of the
 * baselines (two maps keyed by {@link IdentityKey}, the map's get-then-computeIfAbsent idiom,
 * Caffeine caches with weak keys and Guava maps with weak keys). A JMH fork runs one parameter combination, so only one implementation is
 * loaded per fork and every call through this interface is monomorphic (inlined by the JIT).
 */
interface Subject {

    /** The data every variable holds (a small object, as a shadow variable's data usually is). */
    final class Data {
        long value;
    }

    Supplier<Data> NEW_DATA = Data::new;
    Function<IdentityKey, Data> NEW_DATA_FOR_KEY = k -> new Data();
    Function<Object, Data> NEW_DATA_FOR_OBJ = k -> new Data();

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
     *                   default table), "shadowweak" and "shadowweakgc" (the weak table, {@link Keys#WEAK}, in
     *                   the checked and the GC flavour), "chm" (ConcurrentHashMap), "chmidiom" (the same map, getOrAlloc as
     *                   get then computeIfAbsent), "caffeine" (a Caffeine cache with weakKeys() per id),
     *                   "guava" (a Guava {@code new MapMaker().weakKeys()} map per id) or "sync"
     *                   (Collections.synchronizedMap(HashMap))
     * @param bucketBits log2 of the shadow table's bucket count (ignored by the maps)
     */
    static Subject create(String impl, int bucketBits) {
        return switch (impl) {
            case "shadow" -> new Shadow(new ShadowVariables(bucketBits, new Rcu(), AllocationFaults.NEVER));
            case "shadowgc" -> new Shadow(new ShadowVariables(bucketBits));
            case "shadowweak" -> new Shadow(new ShadowVariables(bucketBits, new Rcu(), AllocationFaults.NEVER, Keys.WEAK));
            case "shadowweakgc" -> new Shadow(new ShadowVariables(bucketBits, Keys.WEAK));
            case "chm" -> new MapSubject(new ConcurrentHashMap<>());
            case "chmidiom" -> new IdiomSubject(new ConcurrentHashMap<>());
            case "caffeine" -> new CaffeineSubject();
            case "guava" -> new GuavaSubject();
            case "sync" -> new MapSubject(Collections.synchronizedMap(new HashMap<>()));
            default -> throw new IllegalArgumentException(
                    "impl must be shadow, shadowgc, shadowweak, shadowweakgc, chm, chmidiom, caffeine, guava or sync: "
                            + impl);
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

    /**
     * ConcurrentHashMap with getOrAlloc written as Java users write it for a key that usually
     * exists: {@code get}, and {@code computeIfAbsent} only on a miss (computeIfAbsent alone locks
     * the bin's first node when the key sits behind another one in its bin). Everything else as
     * {@link MapSubject}.
     */
    final class IdiomSubject implements Subject {
        final MapSubject map;

        IdiomSubject(ConcurrentHashMap<IdentityKey, Data> map) {
            this.map = new MapSubject(map);
        }

        @Override
        public Object get(Object obj, long id) {
            return map.get(obj, id);
        }

        @Override
        public Object getOrAlloc(Object obj, long id) {
            IdentityKey key = new IdentityKey(obj, id);
            Data data = map.map.get(key);
            return data != null ? data : map.map.computeIfAbsent(key, NEW_DATA_FOR_KEY);
        }

        @Override
        public Object alloc(Object obj, long id) {
            return map.alloc(obj, id);
        }

        @Override
        public void free(Object obj, long id) {
            map.free(obj, id);
        }

        @Override
        public void freeAll(long id) {
            map.freeAll(id);
        }
    }

    /**
     * Caffeine with {@code weakKeys()}: what a Java user picks to attach data to objects it cannot
     * change (keys compared by identity, an entry dropped when its key is collected). One cache
     * per id, found by array index (a user keeps one cache per purpose in a field: no lookup);
     * ids 0..7. getOrAlloc and alloc = {@code get(key, mappingFunction)} (as the maps'
     * computeIfAbsent), free = {@code invalidate}, freeAll = {@code invalidateAll} of the id's cache.
     */
    final class CaffeineSubject implements Subject {
        final Cache<Object, Data>[] caches;

        @SuppressWarnings("unchecked")
        CaffeineSubject() {
            caches = new Cache[8];
            for (int i = 0; i < caches.length; i++) {
                caches[i] = Caffeine.newBuilder().weakKeys().build();
            }
        }

        @Override
        public Object get(Object obj, long id) {
            return caches[(int) id].getIfPresent(obj);
        }

        @Override
        public Object getOrAlloc(Object obj, long id) {
            return caches[(int) id].get(obj, NEW_DATA_FOR_OBJ);
        }

        @Override
        public Object alloc(Object obj, long id) {
            return caches[(int) id].get(obj, NEW_DATA_FOR_OBJ);
        }

        @Override
        public void free(Object obj, long id) {
            caches[(int) id].invalidate(obj);
        }

        @Override
        public void freeAll(long id) {
            caches[(int) id].invalidateAll();
        }
    }

    /**
     * Guava's {@code new MapMaker().weakKeys().makeMap()}: the other weak identity map a Java user
     * finds (keys compared by identity, an entry dropped when its key is collected; stale entries
     * cleaned by the map's writers and, every so often, its readers). One map per id, found by
     * array index as {@link CaffeineSubject}'s caches; ids 0..7. getOrAlloc and alloc =
     * {@code computeIfAbsent}, free = {@code remove}, freeAll = {@code clear} of the id's map.
     */
    final class GuavaSubject implements Subject {
        final ConcurrentMap<Object, Data>[] maps;

        @SuppressWarnings("unchecked")
        GuavaSubject() {
            maps = new ConcurrentMap[8];
            for (int i = 0; i < maps.length; i++) {
                maps[i] = new MapMaker().weakKeys().makeMap();
            }
        }

        @Override
        public Object get(Object obj, long id) {
            return maps[(int) id].get(obj);
        }

        @Override
        public Object getOrAlloc(Object obj, long id) {
            return maps[(int) id].computeIfAbsent(obj, NEW_DATA_FOR_OBJ);
        }

        @Override
        public Object alloc(Object obj, long id) {
            return maps[(int) id].computeIfAbsent(obj, NEW_DATA_FOR_OBJ);
        }

        @Override
        public void free(Object obj, long id) {
            maps[(int) id].remove(obj);
        }

        @Override
        public void freeAll(long id) {
            maps[(int) id].clear();
        }
    }
}
