package io.github.shadowvars;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Random fault injection for tests and soak runs: allocation failures (as {@link AllocationFaults})
 * and failing constructors (as a {@link Constructor} wrapper), each at its own rate, decided by one
 * {@link SplittableRandom} with a known seed, and counted.
 *
 * <p>Three kinds of fault, each with a rate in [0, 1]:
 * <ul>
 *   <li><b>allocation failure</b>: {@link #failNext(Object, long)} returns true, so the table's
 *       allocation step (2) fails as if {@code kzalloc} had returned NULL; the operation returns
 *       null and nothing is allocated;</li>
 *   <li><b>constructor error code</b>: the wrapped constructor returns {@link #INJECTED_ERROR}
 *       ({@code -ENOMEM}) without calling the real constructor; the table publishes nothing,
 *       logs an ERROR and returns null;</li>
 *   <li><b>constructor exception</b>: the wrapped constructor throws {@link InjectedFault} without
 *       calling the real constructor; the table publishes nothing and the exception reaches the
 *       caller.</li>
 * </ul>
 * A constructor decision draws once from the random: with probability {@code ctorErrorRate} an
 * error code, else with probability {@code ctorThrowRate} an exception, else the real constructor
 * runs. So {@code ctorErrorRate + ctorThrowRate} must not exceed 1.
 *
 * <p>Reproducibility: with one thread, the same seed and the same sequence of table calls give the
 * same faults. With several threads the draws are shared (one random, guarded by this object's
 * monitor), so which call gets which fault depends on the interleaving; the seed still fixes the
 * sequence of decisions. Tests print the seed.
 *
 * <p>Counting: {@link #allocationFaultsInjected()}, {@link #ctorErrorsInjected()},
 * {@link #ctorExceptionsInjected()} and their sum {@link #faultsInjected()}. One FaultInjection
 * may serve several tables; it holds no static state.
 */
public final class FaultInjection implements AllocationFaults {

    /** The error code an injected constructor failure returns: C's {@code -ENOMEM}. */
    public static final int INJECTED_ERROR = -12;

    /** The exception an injected constructor failure throws. */
    public static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message, null, false, false); // no stack trace: it is expected, and soak runs throw many
        }
    }

    private final long seed;
    private final double allocationFailureRate;
    private final double ctorErrorRate;
    private final double ctorThrowRate;
    /** Guarded by this object's monitor: SplittableRandom is not thread-safe. */
    private final SplittableRandom random;
    private final LongAdder allocationFaults = new LongAdder();
    private final LongAdder ctorErrors = new LongAdder();
    private final LongAdder ctorExceptions = new LongAdder();

    /**
     * @param seed                  the random's seed (print it, so a failing run can be repeated)
     * @param allocationFailureRate probability that an allocation fails, in [0, 1]
     * @param ctorErrorRate         probability that a wrapped constructor returns {@link #INJECTED_ERROR}, in [0, 1]
     * @param ctorThrowRate         probability that a wrapped constructor throws {@link InjectedFault}, in [0, 1]
     * @throws IllegalArgumentException if a rate is outside [0, 1] (or NaN), or the two constructor
     *                                  rates add up to more than 1
     */
    public FaultInjection(long seed, double allocationFailureRate, double ctorErrorRate, double ctorThrowRate) {
        this.seed = seed;
        this.allocationFailureRate = checkRate("allocationFailureRate", allocationFailureRate);
        this.ctorErrorRate = checkRate("ctorErrorRate", ctorErrorRate);
        this.ctorThrowRate = checkRate("ctorThrowRate", ctorThrowRate);
        if (ctorErrorRate + ctorThrowRate > 1) {
            throw new IllegalArgumentException("ctorErrorRate + ctorThrowRate must be at most 1, got "
                    + ctorErrorRate + " + " + ctorThrowRate);
        }
        this.random = new SplittableRandom(seed);
    }

    private static double checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) { // also refuses NaN
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + rate);
        }
        return rate;
    }

    /**
     * The seed this injector was built with.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * {@link AllocationFaults}: true (fail this allocation) with probability {@code allocationFailureRate}.
     * Draws from the random only if the rate is strictly between 0 and 1.
     *
     * @return true to fail this allocation
     */
    @Override
    public boolean failNext(Object obj, long id) {
        if (!draw(allocationFailureRate)) {
            return false;
        }
        allocationFaults.increment();
        return true;
    }

    /**
     * Wraps {@code real} with injected constructor failures: each call first decides (one draw)
     * whether to return {@link #INJECTED_ERROR}, throw {@link InjectedFault}, or call {@code real}
     * and return what it returns. An injected failure does not call {@code real}. With both
     * constructor rates 0 nothing is drawn.
     *
     * @param <T>  the type of the data the constructor initialises
     * @param real the constructor to call when no fault is injected; null means "no constructor",
     *             which succeeds (returns 0), as a null ctor does in the table
     * @return the constructor with faults injected
     */
    public <T> Constructor<T> constructor(Constructor<? super T> real) {
        if (ctorErrorRate == 0 && ctorThrowRate == 0) {
            return (obj, data) -> real == null ? 0 : real.construct(obj, data); // no draw at all
        }
        return (obj, data) -> {
            double u;
            synchronized (this) {
                u = random.nextDouble();
            }
            if (u < ctorErrorRate) {
                ctorErrors.increment();
                return INJECTED_ERROR;
            }
            if (u < ctorErrorRate + ctorThrowRate) {
                ctorExceptions.increment();
                throw new InjectedFault("injected constructor failure (seed " + seed + ")");
            }
            return real == null ? 0 : real.construct(obj, data);
        };
    }

    private boolean draw(double rate) {
        if (rate == 0) {
            return false;
        }
        if (rate == 1) {
            return true;
        }
        synchronized (this) {
            return random.nextDouble() < rate;
        }
    }

    /**
     * How many allocations this injector has failed.
     *
     * @return the count so far
     */
    public long allocationFaultsInjected() {
        return allocationFaults.sum();
    }

    /**
     * How many wrapped constructor calls returned {@link #INJECTED_ERROR}.
     *
     * @return the count so far
     */
    public long ctorErrorsInjected() {
        return ctorErrors.sum();
    }

    /**
     * How many wrapped constructor calls threw {@link InjectedFault}.
     *
     * @return the count so far
     */
    public long ctorExceptionsInjected() {
        return ctorExceptions.sum();
    }

    /**
     * All faults injected so far: allocation failures, constructor error codes and constructor exceptions.
     *
     * @return the sum of the three counts
     */
    public long faultsInjected() {
        return allocationFaultsInjected() + ctorErrorsInjected() + ctorExceptionsInjected();
    }

    @Override
    public String toString() {
        return "FaultInjection[seed=" + seed + ", rates alloc=" + allocationFailureRate + " ctorError="
                + ctorErrorRate + " ctorThrow=" + ctorThrowRate + "; injected alloc=" + allocationFaultsInjected()
                + " ctorError=" + ctorErrorsInjected() + " ctorThrow=" + ctorExceptionsInjected() + "]";
    }
}
