/**
 * Livepatch shadow variables for Java: data attached to objects whose class cannot change, with
 * lock-free lookups under a userspace RCU, as in the Linux kernel's kernel/livepatch/shadow.c.
 * Start with {@link io.github.shadowvars.ShadowVariables}.
 */
module io.github.shadowvars {
    exports io.github.shadowvars;
}
