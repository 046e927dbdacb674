package io.github.shadowvars.model;

import io.github.shadowvars.Flavour;
import io.github.shadowvars.kit.Corpus;
import io.github.shadowvars.kit.Outcome;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java table's replay output in CORPUS.md's format ("A port's replay output"): every trace of
 * the corpus run on a fresh table, each line with the outcome the table gave, as a port writes it
 * for {@code ./check corpus FILE} or the kit jar. The outcome is what {@link SequentialRun#perform}
 * observed; nothing is copied from the corpus's expected side. A call that throws ends its trace
 * with an {@code exception} line.
 */
public final class CorpusReplayOutput {

    private CorpusReplayOutput() {
    }

    /**
     * Writes the replay output of the checked table ({@code bug} null) or of a seeded bug of
     * {@link SeededBug} (its name) to {@code file}, with 4,096 buckets; returns {@code file}.
     */
    public static Path write(Path corpusFile, Path file, String bug) throws IOException {
        TableUnderTest.Factory factory = bug == null ? TableUnderTest.real(Flavour.CHECKED) : SeededBug.valueOf(bug);
        List<Corpus.Trace> out = new ArrayList<>();
        for (Corpus.Trace t : Corpus.read(corpusFile)) {
            SequentialRun run = new SequentialRun(factory, 12);
            List<Corpus.Step> steps = new ArrayList<>();
            for (Corpus.Step s : t.steps()) {
                try {
                    Outcome o = run.perform(s.op());
                    // one word per field: a WHY the spec has no name for ("exists after an allocation attempt") too
                    steps.add(new Corpus.Step(s.op(), new Outcome(o.why().replace(' ', '_'), o.result(), o.ctor(), o.dtors())));
                } catch (AssertionError | RuntimeException e) {
                    steps.add(new Corpus.Step(s.op(), new Outcome("exception", "-", "-", List.of())));
                    break;
                }
            }
            out.add(new Corpus.Trace(t.name(), steps));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Corpus.write(List.of("Replay output of " + (bug == null ? "the Java reference (checked flavour)"
                : "the seeded bug " + bug) + ", 4096 buckets: the outcomes the table gave (model-check/CORPUS.md)."), out));
        return file;
    }
}
