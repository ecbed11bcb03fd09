package org.clipwb.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.app.zeroshot.ZeroShotForm;
import org.clipwb.core.model.Precision;
import org.clipwb.core.util.CommentedLines;

/**
 * Command-line options of the desktop app, to open it on given inputs (and optionally start the run at once):
 * {@code --images=DIR --model=ID_OR_DIR --precision=fp32|fp16 --classes=FILE --templates=T --run}. Options that are
 * given override the remembered inputs.
 */
record StartupOptions(String images, String model, Precision precision, Path classes, String templates, boolean run) {
    static final String USAGE = "options: --images=DIR --model=ID_OR_DIR --precision=fp32|fp16 --classes=FILE "
            + "--templates=T --run";

    /** No options. */
    static final StartupOptions NONE = new StartupOptions(null, null, null, null, null, false);

    /** Parses the raw arguments; an unknown one is an error that lists the options. */
    static StartupOptions parse(List<String> args) {
        String images = null;
        String model = null;
        Precision precision = null;
        Path classes = null;
        String templates = null;
        boolean run = false;
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            String value = equals < 0 ? null : arg.substring(equals + 1);
            if (name.equals("--run") && value == null) {
                run = true;
                continue;
            }
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Unknown or incomplete option \"" + arg + "\"; " + USAGE);
            }
            switch (name) {
                case "--images" -> images = value;
                case "--model" -> model = value;
                case "--precision" -> precision = parsePrecision(value);
                case "--classes" -> classes = Path.of(value);
                case "--templates" -> templates = value;
                default -> throw new IllegalArgumentException("Unknown option \"" + arg + "\"; " + USAGE);
            }
        }
        return new StartupOptions(images, model, precision, classes, templates, run);
    }

    private static Precision parsePrecision(String value) {
        try {
            return Precision.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--precision: " + e.getMessage() + "; " + USAGE, e);
        }
    }

    /** Puts the given options into the form. */
    void applyTo(ZeroShotForm form) throws IOException {
        if (images != null) {
            form.imageFolderProperty().set(images);
        }
        if (model != null) {
            form.modelSpecProperty().set(model);
        }
        if (precision != null) {
            form.precisionProperty().set(precision);
        }
        if (templates != null) {
            form.templatesProperty().set(templates);
        }
        if (classes != null) {
            form.classListProperty().set(CommentedLines.readUtf8(classes));
        }
    }
}
