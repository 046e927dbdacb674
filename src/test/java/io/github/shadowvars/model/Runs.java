package io.github.shadowvars.model;

import io.github.shadowvars.kit.Op;
import io.github.shadowvars.kit.Outcome;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * The jqwik generators of sequential runs: an action chain whose one action performs a random
 * {@link Op} (over 3 objects and 2 ids, faults chosen by the op's own booleans so that shrinking
 * removes them) and checks it against the model, on a table of 1 or 2 buckets so that keys share
 * buckets.
 */
final class Runs {

    /** Longest generated run. */
    static final int MAX_STEPS = 40;

    private Runs() {
    }

    /** Random operations; every value shrinks towards o1, i1, no fault, get. */
    static Arbitrary<Op> ops() {
        Arbitrary<String> obj = Arbitraries.of("o1", "o2", "o3");
        Arbitrary<Long> id = Arbitraries.of(1L, 2L);
        Arbitrary<Boolean> fault = Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true));
        return Arbitraries.frequencyOf(
                Tuple.of(2, Combinators.combine(obj, id).as(Op::get)),
                Tuple.of(3, Combinators.combine(obj, id, fault, fault).as(Op::alloc)),
                Tuple.of(3, Combinators.combine(obj, id, fault, fault).as(Op::getOrAlloc)),
                Tuple.of(2, Combinators.combine(obj, id).as(Op::free)),
                Tuple.of(1, id.map(Op::freeAll)));
    }

    /**
     * Runs of up to {@link #MAX_STEPS} checked operations on tables of 2^bucketBits buckets made by
     * factory. (The bucket count is not drawn here: a chain inside oneOf or flatMap no longer
     * shrinks in jqwik 1.9.3, so each bucket count gets its own property.)
     */
    static Arbitrary<ActionChain<SequentialRun>> chains(TableUnderTest.Factory factory, int bucketBits) {
        Action.Independent<SequentialRun> step =
                () -> ops().map(op -> Transformer.mutate(op.toString(), run -> run.check(op)));
        return ActionChain.startWith(() -> new SequentialRun(factory, bucketBits))
                .withAction(step)
                .withMaxTransformations(MAX_STEPS);
    }

    /**
     * Runs on a weak table: the operations of {@link #chains}, plus "collect oN" (the spec's
     * Die(o): the object's collection simulated, the model loses its keys with no destructor call,
     * later steps naming oN get a new object) and "expunge"; shrinks towards operations only.
     */
    static Arbitrary<ActionChain<SequentialRun>> weakChains(TableUnderTest.Factory factory, int bucketBits) {
        Arbitrary<Transformer<SequentialRun>> op = ops().map(o -> Transformer.mutate(o.toString(), run -> run.check(o)));
        Arbitrary<Transformer<SequentialRun>> collect = Arbitraries.of("o1", "o2", "o3")
                .map(n -> Transformer.mutate("collect " + n, run -> run.collect(n)));
        Arbitrary<Transformer<SequentialRun>> expunge = Arbitraries.just(Transformer.mutate("expunge", SequentialRun::expunge));
        Action.Independent<SequentialRun> step =
                () -> Arbitraries.frequencyOf(Tuple.of(10, op), Tuple.of(2, collect), Tuple.of(1, expunge));
        return ActionChain.startWith(() -> new SequentialRun(factory, bucketBits))
                .withAction(step)
                .withMaxTransformations(MAX_STEPS);
    }
}
