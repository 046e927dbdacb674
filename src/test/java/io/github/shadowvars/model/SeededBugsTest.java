package io.github.shadowvars.model;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.state.ActionChain;

import io.github.shadowvars.model.CheckReport.SeededBugCaught;

/**
 * The model-based checker must catch each {@link SeededBug}: the same property as
 * {@link SequentialModelTest}, on a broken table, inverted by {@link CheckReport}: it passes only if
 * jqwik falsifies it and shrinks the failing run to the shortest run that shows the bug. All keys
 * in one bucket.
 */
@AddLifecycleHook(value = CheckReport.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class SeededBugsTest {

    private static void check(ActionChain<SequentialRun> chain) {
        SequentialModelTest.check(chain);
    }

    /** alloc, then getOrAlloc of the same key. */
    @Property
    @SeededBugCaught(minimalSteps = 2)
    void ctorOnExists(@ForAll("ctorOnExistsTable") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** alloc, then freeAll of its id. */
    @Property
    @SeededBugCaught(minimalSteps = 2)
    void freeAllSkipsDtor(@ForAll("freeAllSkipsDtorTable") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** alloc twice. */
    @Property
    @SeededBugCaught(minimalSteps = 2)
    void allocReturnsExisting(@ForAll("allocReturnsExistingTable") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** One alloc whose ctor fails. */
    @Property
    @SeededBugCaught(minimalSteps = 1)
    void ctorErrorIgnored(@ForAll("ctorErrorIgnoredTable") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** alloc <o1, i1>, then free <o1, i2>. */
    @Property
    @SeededBugCaught(minimalSteps = 2)
    void freeIgnoresId(@ForAll("freeIgnoresIdTable") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> ctorOnExistsTable() {
        return Runs.chains(SeededBug.CTOR_ON_EXISTS, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> freeAllSkipsDtorTable() {
        return Runs.chains(SeededBug.FREE_ALL_SKIPS_DTOR, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> allocReturnsExistingTable() {
        return Runs.chains(SeededBug.ALLOC_RETURNS_EXISTING, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> ctorErrorIgnoredTable() {
        return Runs.chains(SeededBug.CTOR_ERROR_IGNORED, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> freeIgnoresIdTable() {
        return Runs.chains(SeededBug.FREE_IGNORES_ID, 0);
    }
}
