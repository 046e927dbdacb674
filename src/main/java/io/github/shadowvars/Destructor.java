package io.github.shadowvars;

/**
 * Releases what a shadow variable's data holds, the Java form of the C {@code dtor} parameter
 * ({@code void dtor(void *obj, void *shadow_data)}).
 *
 * <p>Runs under the table's writer lock, after the variable was unlinked and before its entry is
 * handed to RCU for reclamation. It must not call a writer method of any table (that throws
 * {@link IllegalStateException}: the kernel's one spinlock is not recursive). If it throws, the variable is still removed and reclaimed, the
 * lock is released, and then the exception reaches the caller.
 *
 * @param <T> the type of the shadow data
 */
@FunctionalInterface
public interface Destructor<T> {
    /**
     * @param obj  the parent object
     * @param data the shadow data being removed
     */
    void destroy(Object obj, T data);
}
