package io.github.shadowvars;

/**
 * Injects allocation failures, the Java stand-in for {@code kzalloc(..., gfp_flags)} returning
 * NULL. Asked once per allocation step (step 2 of alloc/getOrAlloc), outside the table lock, and
 * only when the lock-free pre-check did not find the key. {@link FaultInjection} is an
 * implementation failing at a given rate, with a seeded random and counters.
 */
@FunctionalInterface
public interface AllocationFaults {
    /** Never fails. */
    AllocationFaults NEVER = (obj, id) -> false;

    /**
     * Decides whether the allocation for one alloc/getOrAlloc call fails.
     *
     * @param obj the parent object of the call
     * @param id  the id of the call
     * @return true to make this allocation fail (the operation then returns null and publishes nothing)
     */
    boolean failNext(Object obj, long id);
}
