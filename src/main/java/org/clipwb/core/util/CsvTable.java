package org.clipwb.core.util;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Writes a CSV file (RFC 4180 quoting, UTF-8) atomically: the file appears complete or not at all. */
public final class CsvTable {
    private CsvTable() {
    }

    /** A source of rows that may fail with an I/O error. */
    @FunctionalInterface
    public interface Rows {
        void writeTo(RowSink sink) throws IOException;
    }

    /** Receives rows. */
    @FunctionalInterface
    public interface RowSink {
        void row(List<String> cells) throws IOException;
    }

    public static void write(Path file, List<String> header, Rows rows) throws IOException {
        // The atomic writer owns the stream: Jackson must flush but not close it.
        CsvMapper mapper = CsvMapper.builder().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).build();
        AtomicFiles.write(file, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            try (SequenceWriter sequence = mapper.writer(CsvSchema.emptySchema()).writeValues(writer)) {
                sequence.write(header);
                rows.writeTo(sequence::write);
            }
            writer.flush();
        });
    }

    /** Cells of an embedding: the shortest decimal form of each float that reads back exactly. */
    public static void addVector(List<String> cells, float[] vector) {
        for (float value : vector) {
            cells.add(Float.toString(value));
        }
    }
}
