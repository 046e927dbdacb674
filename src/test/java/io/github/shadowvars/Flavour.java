package io.github.shadowvars;

/**
 * The two flavours of {@link ShadowVariables} the shared checks run on (corpus replay, jqwik
 * properties, jcstress table harnesses, soak, fault injection; proofs-notes.md, "Which checks run
 * on which flavour").
 *
 * <p>What cannot fail on {@link #GC}: nothing is ever poisoned, so a poisoned read (and a jcstress
 * outcome that records one) cannot occur; {@code reclaimed} is reported equal to {@code unlinked}
 * (the GC frees removed entries), so "every unlinked entry reclaimed" holds by construction; there is no domain, so no
 * callback can be pending. The checks still run these assertions on it, but do not count them for
 * it: the figures they report say so.
 */
public enum Flavour {
    /** With an {@link Rcu} domain: read-side sections, removed entries poisoned after a grace period. */
    CHECKED,
    /** Without one ({@code rcu == null}): readers enter nothing, removed entries are left to the GC. */
    GC;

    /** The system property naming the flavour of a JVM's tables (jcstress forks): CHECKED (default) or GC. */
    public static final String PROPERTY = "shadowvars.flavour";

    /** The flavour named by {@link #PROPERTY}, CHECKED if unset. */
    public static Flavour fromSystemProperty() {
        return valueOf(System.getProperty(PROPERTY, CHECKED.name()));
    }

    /** A new domain for a table of this flavour: a fresh {@link Rcu}, or null for {@link #GC}. */
    public Rcu newRcu() {
        return this == CHECKED ? new Rcu() : null;
    }

    /** The note a check adds to its figures on this flavour: empty for CHECKED. */
    public String notCounted() {
        return this == CHECKED ? "" : " (poison and reclaim checks cannot fail on GC: not counted)";
    }
}
