package io.github.shadowvars.model;

import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.shadowvars.AllocationFaults;
import io.github.shadowvars.Constructor;
import io.github.shadowvars.Destructor;

/**
 * Broken tables for showing that the model-based checker and the corpus replay catch bugs: each
 * wraps the real table and breaks one rule of the abstract spec. Test code only.
 */
enum SeededBug implements TableUnderTest.Factory {

    /** getOrAlloc calls the ctor on the EXISTS path (on the existing data) before returning it. */
    CTOR_ON_EXISTS {
        @Override
        TableUnderTest wrap(TableUnderTest real) {
            return new Broken(real) {
                @Override
                public Object getOrAlloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor) {
                    Object existing = real.get(obj, id);
                    if (existing != null) {
                        ctor.construct(obj, existing);
                        return existing;
                    }
                    return real.getOrAlloc(obj, id, allocate, ctor);
                }
            };
        }
    },

    /** freeAll removes the variables but skips the destructor. */
    FREE_ALL_SKIPS_DTOR {
        @Override
        TableUnderTest wrap(TableUnderTest real) {
            return new Broken(real) {
                @Override
                public void freeAll(long id, Destructor<Object> dtor) {
                    real.freeAll(id, null);
                }
            };
        }
    },

    /** alloc on an existing variable returns its data instead of null. */
    ALLOC_RETURNS_EXISTING {
        @Override
        TableUnderTest wrap(TableUnderTest real) {
            return new Broken(real) {
                @Override
                public Object alloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor) {
                    Object existing = real.get(obj, id);
                    return existing != null ? existing : real.alloc(obj, id, allocate, ctor);
                }
            };
        }
    },

    /** A failing constructor's error code is ignored: the variable is published anyway. */
    CTOR_ERROR_IGNORED {
        @Override
        TableUnderTest wrap(TableUnderTest real) {
            return new Broken(real) {
                @Override
                public Object alloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor) {
                    return real.alloc(obj, id, allocate, ignoreError(ctor));
                }

                @Override
                public Object getOrAlloc(Object obj, long id, Supplier<Object> allocate, Constructor<Object> ctor) {
                    return real.getOrAlloc(obj, id, allocate, ignoreError(ctor));
                }
            };
        }
    },

    /** free of an absent key removes the same obj's variable with another id (a key compare that forgets the id). */
    FREE_IGNORES_ID {
        @Override
        TableUnderTest wrap(TableUnderTest real) {
            return new Broken(real) {
                @Override
                public void free(Object obj, long id, Destructor<Object> dtor) {
                    for (long other = id; other < id + 4; other++) {
                        if (real.get(obj, other) != null) {
                            real.free(obj, other, dtor);
                            return;
                        }
                    }
                }
            };
        }
    };

    /** The broken table around a real one. */
    abstract TableUnderTest wrap(TableUnderTest real);

    @Override
    public TableUnderTest create(int bucketBits, AllocationFaults faults, Consumer<String> log) {
        return wrap(TableUnderTest.real(bucketBits, faults, log));
    }

    private static Constructor<Object> ignoreError(Constructor<Object> ctor) {
        return (obj, data) -> {
            ctor.construct(obj, data);
            return 0;
        };
    }

    /** Delegates everything; each bug overrides what it breaks. */
    private static class Broken extends TableUnderTest.Real {
        final TableUnderTest real;

        Broken(TableUnderTest real) {
            super(((TableUnderTest.Real) real).table);
            this.real = real;
        }
    }
}
