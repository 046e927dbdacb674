package io.github.shadowvars;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** ReaderPause passes every event on: it overrides every method of Tracer (a method added later would otherwise be dropped silently). */
class ReaderPauseTest {

    /** The Tracer methods {@code forwarder} does not declare itself. */
    static Set<String> notOverridden(Class<? extends Tracer> forwarder) {
        Set<String> missing = new TreeSet<>();
        for (Method m : Tracer.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || Modifier.isPrivate(m.getModifiers()) || m.isSynthetic()) {
                continue;
            }
            try {
                forwarder.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        return missing;
    }

    @Test
    void readerPauseOverridesEveryTracerMethod() {
        assertEquals(Set.of(), notOverridden(ReaderPause.class), "Tracer methods ReaderPause does not pass on");
    }

    /** The check itself fails on a tracer that forwards only some events. */
    @Test
    void theCheckSeesAMissingOverride() {
        final class Partial extends Tracer {
            @Override
            void begin() {
            }
        }
        Set<String> missing = notOverridden(Partial.class);
        assertEquals(true, missing.containsAll(List.of("headLoaded", "useAfterReclaim", "call")) && !missing.contains("begin"),
                missing.toString());
    }
}
