package org.clipwb.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.clipwb.core.data.ImageFolder;
import org.clipwb.core.embed.EmbeddedFolder;
import org.clipwb.core.model.Clip;
import org.clipwb.core.util.CommentedLines;
import org.clipwb.core.util.CsvTable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code clipwb embed}: L2-normalised CLIP embeddings of images or texts, as CSV. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Writes L2-normalised CLIP embeddings as CSV.",
                "With --images: rows path,e0,...,e{D-1}, one per readable image (path relative to DIR); "
                        + "unreadable files are reported and skipped.",
                "With --texts: rows text,e0,... for each non-blank line of FILE (no template applied)."})
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Mixin
    ImageOptions imageOptions;

    @Option(names = "--out", required = true, paramLabel = "FILE.csv", description = "The CSV file to write.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What to embed: a folder of images or a file of texts. */
    static final class Input {
        @Option(names = "--images", paramLabel = "DIR", description = "A folder of images (searched recursively).")
        Path images;

        @Option(names = "--texts", paramLabel = "FILE", description = "A UTF-8 text file, one text per line.")
        Path texts;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        ImageFolder folder = input.images == null ? null : ImageFolder.scan(input.images);
        List<String> texts = input.texts == null ? null : readTexts(input.texts);
        try (Clip clip = modelOptions.load(err)) {
            List<String> header = new ArrayList<>();
            header.add(folder != null ? "path" : "text");
            for (int i = 0; i < clip.embedDim(); i++) {
                header.add("e" + i);
            }
            if (folder != null) {
                EmbeddedFolder embedded = imageOptions.embed(clip, folder, err);
                CsvTable.write(out, header, sink -> {
                    for (int i = 0; i < embedded.size(); i++) {
                        List<String> row = new ArrayList<>();
                        row.add(embedded.entry(i).relativePath());
                        CsvTable.addVector(row, embedded.embeddings()[i]);
                        sink.row(row);
                    }
                });
                err.printf("Embedded %d images (%d from the cache, %d skipped) into %s%n", embedded.size(),
                        embedded.fromCache(), embedded.failures().size() + folder.skipped().size(), out);
            } else {
                float[][] vectors = clip.embedTexts(texts);
                CsvTable.write(out, header, sink -> {
                    for (int i = 0; i < texts.size(); i++) {
                        List<String> row = new ArrayList<>();
                        row.add(texts.get(i));
                        CsvTable.addVector(row, vectors[i]);
                        sink.row(row);
                    }
                });
                err.printf("Embedded %d texts into %s%n", texts.size(), out);
            }
        }
        return 0;
    }

    private static List<String> readTexts(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        for (CommentedLines.Line line : CommentedLines.nonBlankLines(CommentedLines.readUtf8(file))) {
            texts.add(line.text());
        }
        if (texts.isEmpty()) {
            throw new IOException(file + " has no non-blank line to embed");
        }
        return texts;
    }
}
