package org.clipwb.core.describe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server providers share: CuPL sampling, LatteCLIP's image and group requests and the image uploads. A
 * subclass only turns one {@link Completion} into its API's request and reads the answers back.
 */
public abstract sealed class ServerDescriptionProvider implements DescriptionProvider
        permits OllamaProvider, OpenAiCompatibleProvider {
    /** LatteCLIP's LLaVA settings for image and group descriptions: greedy decoding, 77 new tokens (§3.2 P3). */
    static final int DESCRIPTION_MAX_TOKENS = 77;
    static final double GREEDY = 0;

    /**
     * One question to the model.
     *
     * @param images  base64 PNGs, possibly none
     * @param stop    where the answer ends, or null
     * @param samples how many answers are wanted; a server may return fewer, never none
     */
    record Completion(String prompt, List<String> images, double temperature, int maxTokens, String stop,
            int samples) {
    }

    /** The answers to {@code completion}, at least one, none blank; {@code subject} names it in errors. */
    abstract List<String> complete(Completion completion, String subject)
            throws DescriptionException, InterruptedException;

    @Override
    public List<String> describeClass(String className, DescriptionRequest request)
            throws DescriptionException, InterruptedException {
        List<String> questions = CuplPrompts.questions(className);
        List<String> sentences = new ArrayList<>(request.totalSamples());
        for (int q = 0; q < questions.size(); q++) {
            String subject = "class \"" + className + "\" (CuPL question " + (q + 1) + " of " + questions.size() + ")";
            // Servers that ignore "n" answer once per request: ask again until every sample is there.
            for (int missing = request.samplesPerQuestion(); missing > 0; ) {
                List<String> answers = complete(new Completion(questions.get(q), List.of(), request.temperature(),
                        request.maxTokens(), CuplPrompts.STOP, missing), subject);
                answers.stream().limit(missing).map(CuplPrompts::sentence).forEach(sentences::add);
                missing -= Math.min(missing, answers.size());
            }
        }
        return sentences;
    }

    @Override
    public String describeImage(Path image, String prompt) throws DescriptionException, InterruptedException {
        return describePicture(ImageUploads.imageFile(image), prompt, "image " + image);
    }

    @Override
    public String describeGroup(List<Path> images, String prompt)
            throws DescriptionException, InterruptedException {
        return describePicture(ImageUploads.groupComposite(images), prompt,
                "the group of " + images.size() + " images " + images);
    }

    private String describePicture(String png, String prompt, String subject)
            throws DescriptionException, InterruptedException {
        Completion completion = new Completion(prompt, List.of(png), GREEDY, DESCRIPTION_MAX_TOKENS, null, 1);
        return AnswerText.oneLine(complete(completion, subject).get(0));
    }

    /** Reads the non-blank texts of an answer's choices; none at all makes the answer malformed. */
    static List<String> nonBlank(List<String> texts) throws JsonHttpClient.MalformedAnswer {
        List<String> kept = texts.stream().filter(text -> !text.isBlank()).toList();
        if (kept.isEmpty()) {
            throw new JsonHttpClient.MalformedAnswer("it holds no text");
        }
        return kept;
    }
}
