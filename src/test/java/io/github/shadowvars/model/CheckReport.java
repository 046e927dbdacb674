package io.github.shadowvars.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.atomic.LongAdder;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.Store;
import net.jqwik.api.state.ActionChain;

/**
 * jqwik hook for the model-based properties: sets the number of tries from the run mode
 * (system property shadowvars.mode: "test" = {@value #TEST_TRIES}, "main" = {@value #MAIN_TRIES}),
 * counts the steps the property executed, and prints one line per property with the tries,
 * steps, seed and time. A property annotated {@link SeededBugCaught} is inverted: it passes only
 * if jqwik falsified it and shrank the failing run to exactly the given number of steps.
 */
public final class CheckReport implements AroundPropertyHook {

    static final int TEST_TRIES = 1_000;
    static final int MAIN_TRIES = 10_000;

    /** Marks a property run against a seeded bug: it must fail, shrunk to minimalSteps operations. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface SeededBugCaught {
        int minimalSteps();
    }

    private static final Object STEPS = new Object();

    /** Called by a property after a run: adds the run's executed steps to this property's count. */
    static void countSteps(int steps) {
        Store.<LongAdder>get(STEPS).get().add(steps);
    }

    static int tries() {
        return "main".equals(System.getProperty("shadowvars.mode", "test")) ? MAIN_TRIES : TEST_TRIES;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        SeededBugCaught bug = context.findAnnotation(SeededBugCaught.class).orElse(null);
        if (bug == null) {
            context.attributes().setTries(tries());
        }
        Store<LongAdder> steps = Store.create(STEPS, Lifespan.PROPERTY, LongAdder::new);
        long start = System.nanoTime();
        PropertyExecutionResult result = property.execute();
        long millis = (System.nanoTime() - start) / 1_000_000;
        String counts = context.label() + ": tries=" + result.countTries() + " checks=" + result.countChecks()
                + " steps=" + steps.get().sum() + " seed=" + result.seed().orElse("?") + " time=" + millis + "ms";
        if (bug == null) {
            System.out.println("[model-check] " + result.status() + " " + counts);
            io.github.shadowvars.CheckSummary.figures(context.containerClass(), counts);
            return result;
        }
        if (result.status() != PropertyExecutionResult.Status.FAILED) {
            return result.mapToFailed("seeded bug NOT caught (" + result.status() + "): " + counts);
        }
        var shrunk = result.shrunkSample().orElseThrow();
        ActionChain<?> chain = (ActionChain<?>) shrunk.parameters().get(0);
        String error = shrunk.falsifyingError().map(Throwable::getMessage).orElse("?");
        System.out.println("[seeded-bug] caught " + counts + "\n    shrunk in " + shrunk.countShrinkingSteps()
                + " shrinking steps to " + chain.transformations() + "\n    " + error);
        if (chain.transformations().size() != bug.minimalSteps()) {
            return result.mapToFailed("seeded bug caught, but shrunk to " + chain.transformations()
                    + " instead of " + bug.minimalSteps() + " steps");
        }
        return result.mapToSuccessful();
    }
}
