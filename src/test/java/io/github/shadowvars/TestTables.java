package io.github.shadowvars;

import java.lang.System.Logger;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Consumer;

/**
 * Tables for test code outside this package (io.github.shadowvars.model): reaches the package-private
 * Hooks to send the table's log to a sink instead of the console.
 */
public final class TestTables {

    private TestTables() {
    }

    /**
     * A table whose log records go to log, each as "LEVEL message" (for example
     * "WARNING Duplicate shadow variable &lt;o1, 1&gt;").
     */
    public static ShadowVariables withLog(int bucketBits, Rcu rcu, AllocationFaults faults, Consumer<String> log) {
        ShadowVariables.Hooks hooks = new ShadowVariables.Hooks();
        hooks.logger = new Logger() {
            @Override
            public String getName() {
                return "test-sink";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                log.accept(level + " " + msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                log.accept(level + " " + (params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
            }
        };
        return new ShadowVariables(bucketBits, rcu, faults, hooks);
    }
}
