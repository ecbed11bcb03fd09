package org.clipwb.core.zeroshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.util.CommentedLines;

/**
 * Prompt templates such as {@code "a photo of a {}."}; a class's text embedding is the renormalised mean of the
 * normalised embeddings of all its prompts (an ensemble when there are several templates).
 */
public final class PromptTemplates {
    /** Name of the built-in set of OpenAI's 80 ImageNet templates. */
    public static final String OPENAI_80 = "openai80";
    /** CLIP's usual single template. */
    public static final String DEFAULT_TEMPLATE = "a photo of a {}.";

    private static final String PLACEHOLDER = "{}";

    private final String description;
    private final List<String> templates;

    private PromptTemplates(String description, List<String> templates) {
        this.description = description;
        this.templates = List.copyOf(templates);
    }

    /** One template, which must contain {@code {}}. */
    public static PromptTemplates single(String template) {
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("template \"" + template + "\" has no {} where the class name goes");
        }
        return new PromptTemplates("\"" + template + "\"", List.of(template));
    }

    /** OpenAI's 80 ImageNet templates. */
    public static PromptTemplates openAi80() {
        try (InputStream in = PromptTemplates.class.getResourceAsStream("openai80.txt")) {
            List<String> templates = new ArrayList<>();
            CommentedLines.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .forEach(line -> templates.add(line.text()));
            return new PromptTemplates("OpenAI's 80 ImageNet templates", templates);
        } catch (IOException e) {
            throw new UncheckedIOException("built-in templates are missing from the jar", e);
        }
    }

    /** A template file: one template per line, each with {@code {}}; errors give the line. */
    public static PromptTemplates read(Path file) throws IOException {
        return ofLines(file.toString(), file.getFileName().toString(), CommentedLines.read(file));
    }

    /**
     * Templates typed as text, one per line as in a template file ({@code #} comments and blank lines are skipped);
     * errors give the line.
     */
    public static PromptTemplates parse(String text) throws IOException {
        return ofLines("the templates", "typed templates", CommentedLines.parse(text));
    }

    private static PromptTemplates ofLines(String source, String name, List<CommentedLines.Line> lines)
            throws IOException {
        List<String> templates = new ArrayList<>();
        for (CommentedLines.Line line : lines) {
            if (!line.text().contains(PLACEHOLDER)) {
                throw new IOException(source + ": line " + line.number() + ": template \"" + line.text()
                        + "\" has no {} where the class name goes");
            }
            templates.add(line.text());
        }
        if (templates.isEmpty()) {
            throw new IOException(source + " has no templates");
        }
        return new PromptTemplates(name + " (" + templates.size() + " templates)", templates);
    }

    /**
     * Interprets a user's choice: {@code openai80}, the path of an existing template file, templates typed one per
     * line (text of several lines, read as a template file is), or a literal template containing {@code {}}.
     */
    public static PromptTemplates resolve(String spec) throws IOException {
        if (spec.equals(OPENAI_80)) {
            return openAi80();
        }
        if (spec.strip().contains("\n")) {
            return parse(spec);
        }
        if (!spec.contains(PLACEHOLDER)) {
            Path file = Path.of(spec);
            if (Files.isRegularFile(file)) {
                return read(file);
            }
            throw new IllegalArgumentException("templates \"" + spec + "\" are neither " + OPENAI_80
                    + ", an existing file, nor a template with {} (e.g. \"" + DEFAULT_TEMPLATE + "\")");
        }
        return single(spec);
    }

    /** The templates. */
    public List<String> templates() {
        return templates;
    }

    /** A short human description, e.g. for a report header. */
    public String description() {
        return description;
    }

    /** All prompts for one class, in template order. */
    public List<String> prompts(String className) {
        List<String> prompts = new ArrayList<>(templates.size());
        for (String template : templates) {
            prompts.add(template.replace(PLACEHOLDER, className));
        }
        return prompts;
    }
}
