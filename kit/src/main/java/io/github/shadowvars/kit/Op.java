package io.github.shadowvars.kit;

/**
 * One operation of a sequential run, with its injected faults: the input half of a corpus line
 * (see model-check/CORPUS.md), for example {@code alloc o1 i2 ctorfail}.
 *
 * @param kind       which operation
 * @param obj        the parent object's name (o1, o2, ...); null for freeAll
 * @param id         the id's number (1 for i1, ...)
 * @param allocFails alloc/getOrAlloc: the allocation fails if it is attempted (AllocationFaults answers true)
 * @param ctorFails  alloc/getOrAlloc: the constructor returns an error code if it runs
 */
public record Op(Kind kind, String obj, long id, boolean allocFails, boolean ctorFails) {

    /** The operations, named as in the spec and the Java API. */
    public enum Kind {
        GET("get"), ALLOC("alloc"), GET_OR_ALLOC("getOrAlloc"), FREE("free"), FREE_ALL("freeAll");

        public final String label;

        Kind(String label) {
            this.label = label;
        }

        public static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown operation " + label);
        }

        public boolean allocates() {
            return this == ALLOC || this == GET_OR_ALLOC;
        }
    }

    public Op {
        if ((kind == Kind.FREE_ALL) != (obj == null)) {
            throw new IllegalArgumentException("freeAll, and only freeAll, has no obj");
        }
        if (!kind.allocates() && (allocFails || ctorFails)) {
            throw new IllegalArgumentException(kind.label + " takes no faults");
        }
    }

    public static Op get(String obj, long id) {
        return new Op(Kind.GET, obj, id, false, false);
    }

    public static Op alloc(String obj, long id, boolean allocFails, boolean ctorFails) {
        return new Op(Kind.ALLOC, obj, id, allocFails, ctorFails);
    }

    public static Op getOrAlloc(String obj, long id, boolean allocFails, boolean ctorFails) {
        return new Op(Kind.GET_OR_ALLOC, obj, id, allocFails, ctorFails);
    }

    public static Op free(String obj, long id) {
        return new Op(Kind.FREE, obj, id, false, false);
    }

    public static Op freeAll(long id) {
        return new Op(Kind.FREE_ALL, null, id, false, false);
    }

    /** The faults column: "-", "allocfail", "ctorfail" or "allocfail,ctorfail". */
    public String faults() {
        if (!allocFails && !ctorFails) {
            return "-";
        }
        return allocFails && ctorFails ? "allocfail,ctorfail" : allocFails ? "allocfail" : "ctorfail";
    }

    /** The corpus form: {@code op obj id faults}. */
    @Override
    public String toString() {
        return kind.label + " " + (obj == null ? "-" : obj) + " i" + id + " " + faults();
    }
}
