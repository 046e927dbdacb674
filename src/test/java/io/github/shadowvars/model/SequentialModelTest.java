package io.github.shadowvars.model;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.state.ActionChain;

/**
 * Model-based check of the real table, one caller: random runs of get, alloc, getOrAlloc, free and
 * freeAll with injected allocation and constructor failures, every outcome compared with the
 * sequential model of the abstract spec, and an RCU barrier at the end after which everything freed
 * must be reclaimed; the same properties on the GC flavour (no RCU domain: no barrier, and the
 * poison and reclaim checks at the end cannot fail on it); and on weak tables (both flavours) with
 * the objects' collection ("collect oN": the model loses every key of the object, no destructor
 * call) and expunge among the steps. Tries: {@value CheckReport#TEST_TRIES} in the test command,
 * {@value CheckReport#MAIN_TRIES} in the main job (see {@link CheckReport}).
 */
@AddLifecycleHook(value = CheckReport.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class SequentialModelTest {

    static void check(ActionChain<SequentialRun> chain) {
        SequentialRun run = chain.run();
        run.finish();
        CheckReport.countSteps(run.steps());
    }

    /** Every key in the one bucket. */
    @Property
    void oneBucketMatchesTheModel(@ForAll("oneBucket") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** Two buckets: keys share a bucket or not, depending on the objects' identity hashes. */
    @Property
    void twoBucketsMatchTheModel(@ForAll("twoBuckets") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** The GC flavour (no RCU domain), every key in the one bucket; its poison and reclaim checks cannot fail. */
    @Property
    void oneBucketGcMatchesTheModel(@ForAll("oneBucketGc") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** The GC flavour, two buckets. */
    @Property
    void twoBucketsGcMatchTheModel(@ForAll("twoBucketsGc") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** Weak keys, checked flavour, one bucket: collections and expunges among the steps. */
    @Property
    void oneBucketWeakMatchesTheModel(@ForAll("oneBucketWeak") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    /** Weak keys, GC flavour, two buckets. */
    @Property
    void twoBucketsWeakGcMatchTheModel(@ForAll("twoBucketsWeakGc") ActionChain<SequentialRun> chain) {
        check(chain);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> oneBucketWeak() {
        return Runs.weakChains(TableUnderTest::realWeak, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> twoBucketsWeakGc() {
        return Runs.weakChains(TableUnderTest::realWeakGc, 1);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> oneBucket() {
        return Runs.chains(TableUnderTest::real, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> twoBuckets() {
        return Runs.chains(TableUnderTest::real, 1);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> oneBucketGc() {
        return Runs.chains(TableUnderTest::realGc, 0);
    }

    @Provide
    Arbitrary<ActionChain<SequentialRun>> twoBucketsGc() {
        return Runs.chains(TableUnderTest::realGc, 1);
    }
}
