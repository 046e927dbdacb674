package io.github.shadowvars.bench;

/**
 * The baselines' map key: {@code <obj, id>} with identity semantics, like the shadow table's
 * lookup (obj compared with ==, hashed by {@link System#identityHashCode}), so that the maps do
 * the same work as the table and never call the parent object's equals or hashCode.
 */
record IdentityKey(Object obj, long id) {

    @Override
    public boolean equals(Object other) {
        return other instanceof IdentityKey k && k.obj == obj && k.id == id;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(obj) * 31 + Long.hashCode(id);
    }
}
