# kernel-check/vm/kcsan.make: make variables of the KCSAN build (vm/build passes them to the
# kernel's make; they are part of the build key). KCSAN instruments only what the checks are
# about: the kernel's own code is built without KCSAN's access checks (KCSAN_SANITIZE=n), except
# shadow.c (the kernel's shadow variables, called by the selftest and the unmodified runs) and the
# spinlock code (its lock and unlock are the barriers KCSAN's weak-memory modelling must see; an
# uninstrumented unlock would leave a store before it "reordered" past it). The modules of the
# check (the selftest's, the stress module, a --source or seeded shadow.c) are built by vm/run
# without these variables: fully instrumented. Why: with the whole kernel instrumented, KCSAN
# spends its watches on the kernel's own accesses (the shell, the tty, sysfs) and found
# set-after-publish only after round 20 to 160 of 200, at 1.3-1.5 s a round (2026-12-07).
KCSAN_SANITIZE=n
KCSAN_SANITIZE_shadow.o=y
KCSAN_SANITIZE_spinlock.o=y
KCSAN_SANITIZE_spinlock_debug.o=y
KCSAN_SANITIZE_qspinlock.o=y
