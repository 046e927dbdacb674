package io.github.shadowvars;

/**
 * The counters of a table ({@link ShadowVariables#stats()}).
 *
 * @param allocated     speculative entries made by alloc/getOrAlloc that reached the lock
 * @param published     variables created
 * @param dropped       speculative entries never published (lost race, constructor failure)
 * @param unlinked      variables removed by free/freeAll
 * @param reclaimed     removed variables whose grace period ended (a table without an RCU domain
 *                      counts each when it removes it: the garbage collector frees it later)
 * @param poisonedReads reads of reclaimed entries (0 unless the RCU domain is broken)
 */
public record Stats(long allocated, long published, long dropped, long unlinked, long reclaimed,
                    long poisonedReads) {
    /**
     * Variables in the table: published and not yet unlinked.
     *
     * @return published minus unlinked
     */
    public long live() {
        return published - unlinked;
    }
}
