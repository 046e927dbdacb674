package io.github.shadowvars;

import java.lang.System.Logger;
import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A System.Logger that keeps every record, so tests can assert what the table logged. */
final class RecordingLogger implements Logger {
    record Entry(Level level, String message) { }

    final List<Entry> records = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        records.add(new Entry(level, msg));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        records.add(new Entry(level, params == null || params.length == 0 ? format : MessageFormat.format(format, params)));
    }

    List<Entry> at(Level level) {
        return records.stream().filter(e -> e.level() == level).toList();
    }
}
