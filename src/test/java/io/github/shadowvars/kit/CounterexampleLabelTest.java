package io.github.shadowvars.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The label the counterexample printer gives a step that no thread took, when TLC names it by a
 * wrapper (ShadowWeak's WNextOf): the RCU callback, or an object's death in the weak table.
 */
class CounterexampleLabelTest {

    private static final Map<String, String> LABELS = Map.of(
            "rcu_reclaim", "RCU: the kfree_rcu callback frees the entry",
            "Die", "the object dies");

    private static Map<String, String> state(String dead, String estate) {
        return Map.of("pc", "(p1 :> \"idle\" @@ p2 :> \"g_walk\")", "dead", dead, "estate", estate);
    }

    @Test
    void aDeathIsLabelledDie() {
        assertEquals("Die", Counterexample.stepLabel("WNextOf",
                state("{}", "(e1 :> \"published\")"), state("{o1}", "(e1 :> \"published\")"), LABELS));
    }

    @Test
    void aReclaimIsStillLabelledRcuReclaim() {
        assertEquals("rcu_reclaim", Counterexample.stepLabel("WNextOf",
                state("{o1}", "(e1 :> \"gp_wait\")"), state("{o1}", "(e1 :> \"reclaimed\")"), LABELS));
    }

    @Test
    void aStepThatChangesNeitherKeepsTheActionName() {
        assertEquals("WNextOf", Counterexample.stepLabel("WNextOf",
                state("{o1}", "(e1 :> \"published\")"), state("{o1}", "(e1 :> \"published\")"), LABELS));
    }
}
