package io.github.shadowvars;

/**
 * How a table holds the objects its variables are attached to.
 *
 * <p>{@link #STRONG}, the kernel's: a variable keeps its object alive until {@code free} or
 * {@code freeAll} removes it. {@link #WEAK}: a variable does not keep its object alive; once the
 * collector has cleared the object, its variables are removed under the writer lock, with no
 * destructor call, by the next write to the table or by {@link ShadowVariables#expunge()}: for code
 * that attaches data to objects it never sees die (a Java agent, instrumentation, a framework
 * extension) and so cannot call {@code free}. Data that refers to its own object keeps that object
 * alive (the ephemeron caveat): the object is then never collected.
 */
public enum Keys {
    /** Each variable holds its object strongly (the default, and the kernel's). */
    STRONG,
    /** Each variable holds its object through a {@link java.lang.ref.WeakReference}. */
    WEAK
}
