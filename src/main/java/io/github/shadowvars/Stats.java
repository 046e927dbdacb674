package io.github.shadowvars;

/**
 * The counters of a table ({@link ShadowVariables#stats()}).
 *
 * @param allocated     speculative entries made by alloc/getOrAlloc that reached the lock
 * @param published     variables created
 * @param dropped       speculative entries never published (lost race, constructor failure)
 * @param unlinked      variables removed by free/freeAll, and by expunging (weak keys)
 * @param reclaimed     removed variables whose grace period ended (a table without an RCU domain
 *                      counts each when it removes it: the garbage collector frees it later)
 * @param poisonedReads reads of reclaimed entries (0 unless the RCU domain is broken)
 * @param expunged      of the unlinked, those whose object the collector had cleared, removed
 *                      with no destructor call (weak keys; 0 on a strong table)
 */
public record Stats(long allocated, long published, long dropped, long unlinked, long reclaimed,
                    long poisonedReads, long expunged) {
    /**
     * The counters of a table that has expunged nothing (a strong table's).
     *
     * @param allocated     speculative entries that reached the lock
     * @param published     variables created
     * @param dropped       speculative entries never published
     * @param unlinked      variables removed
     * @param reclaimed     removed variables reclaimed
     * @param poisonedReads reads of reclaimed entries
     */
    public Stats(long allocated, long published, long dropped, long unlinked, long reclaimed, long poisonedReads) {
        this(allocated, published, dropped, unlinked, reclaimed, poisonedReads, 0);
    }

    /**
     * Variables in the table: published and not yet unlinked.
     *
     * @return published minus unlinked
     */
    public long live() {
        return published - unlinked;
    }
}
