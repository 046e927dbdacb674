package io.github.shadowvars;

/**
 * Initialises a new shadow variable's data, the Java form of the C {@code ctor} parameter
 * ({@code int ctor(void *obj, void *shadow_data, void *ctor_data)}).
 *
 * <p>Runs under the table's writer lock, only when {@code <obj, id>} did not exist, before the
 * variable is published; readers see everything it wrote. It must not call a writer method
 * (alloc, getOrAlloc, free, freeAll) of any table for a key that needs the lock: that throws
 * {@link IllegalStateException}, because the kernel's spinlock, one for every variable, is not
 * recursive. C's {@code ctor_data} has no counterpart: a
 * lambda captures whatever it needs.
 *
 * @param <T> the type of the shadow data
 */
@FunctionalInterface
public interface Constructor<T> {
    /**
     * @param obj  the parent object
     * @param data the fresh data object returned by the allocate supplier
     * @return 0 on success; a non-zero error code (like C's {@code -ENOMEM}) makes the allocation
     *         fail: nothing is published and the caller gets null. Throwing has the same effect,
     *         and the exception then reaches the caller.
     */
    int construct(Object obj, T data);
}
