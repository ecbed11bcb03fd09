package org.clipwb.core.adapt.latte;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethods;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.ImageSource;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.SyntheticData;
import org.clipwb.core.adapt.label.PseudoLabelPhase;
import org.clipwb.core.adapt.label.PseudoLabels;
import org.clipwb.core.adapt.latte.DescriptionsPhase.Descriptions;
import org.clipwb.core.describe.DescriptionException;
import org.clipwb.core.describe.DescriptionProvider;
import org.clipwb.core.describe.DescriptionRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatteClipTest {
    /** 3 classes in 8 dimensions, 6 target images each; zero-shot is wrong on some. */
    private static final AdaptationData DATA = SyntheticData.create(3, 8, 6, 0.5, 0.4, 5);

    @TempDir
    Path temp;

    /** Answers with what it was asked, and fails from its {@code failFrom}-th request on when told to. */
    private static final class EchoProvider implements DescriptionProvider {
        private final List<String> requests = new ArrayList<>();
        private final int failFrom;

        EchoProvider(int failFrom) {
            this.failFrom = failFrom;
        }

        @Override
        public String id() {
            return "echo";
        }

        @Override
        public List<String> describeClass(String className, DescriptionRequest request) {
            throw new AssertionError("LatteCLIP asks for no class descriptions");
        }

        @Override
        public String describeImage(Path image, String prompt) throws IOException {
            return answer(image.getFileName() + " | " + prompt);
        }

        @Override
        public String describeGroup(List<Path> images, String prompt) throws IOException {
            return answer(images.stream().map(image -> image.getFileName().toString()).collect(Collectors.joining(" "))
                    + " | " + prompt);
        }

        private String answer(String request) throws IOException {
            if (requests.size() + 1 >= failFrom) {
                throw new DescriptionException("echo is down");
            }
            requests.add(request);
            return request;
        }
    }

    private LatteInputs inputs(DescriptionProvider provider) {
        return new LatteInputs(key -> temp.resolve("images").resolve(key), provider, temp.resolve("descriptions"));
    }

    private static Settings settings(String... assignments) {
        return new LatteClip().info().defaults().withAssignments(List.of(assignments));
    }

    private static RunContext context(Settings settings, RunStore store) {
        return new RunContext(DATA, settings, 3, store, event -> { }, new Cancellation());
    }

    @Test
    void describesEveryImageAndASameLabelGroupOfEach() throws IOException {
        EchoProvider provider = new EchoProvider(Integer.MAX_VALUE);
        RunStore store = new RunStore(temp.resolve("run"));
        DescriptionsPhase.run(context(settings(), store), PseudoLabelPhase.run(context(settings(), store)),
                inputs(provider));
        int asked = provider.requests.size();
        assertEquals(2 * DATA.target().size(), asked, "one image and one group description per image");

        PseudoLabels labels = PseudoLabelPhase.run(context(settings(), store));
        Descriptions descriptions = DescriptionsPhase.run(context(settings(), store), labels, inputs(provider));
        assertEquals(asked, provider.requests.size(), "the completed phase is restored, not asked again");
        assertEquals("echo", descriptions.provider());
        int[] all = IntStream.range(0, DATA.target().size()).toArray();
        assertArrayEquals(all, descriptions.images(), "LatteCLIP describes every image by default");
        List<String> keys = DATA.target().keys();
        for (int k = 0; k < all.length; k++) {
            assertEquals(keys.get(k) + " | Describe the object in the photo concisely, less than 20 words.",
                    descriptions.imageDescriptions().get(k));
            int[] group = descriptions.groups()[k];
            assertEquals(4, group.length);
            int label = labels.predicted()[k];
            assertTrue(Arrays.stream(group).allMatch(member -> labels.predicted()[member] == label),
                    "group of image " + k + " has other labels: " + Arrays.toString(group));
            assertEquals(Arrays.stream(group).mapToObj(keys::get).collect(Collectors.joining(" "))
                    + " | Describe the common visual attributes of the objects in all the photos concisely, less "
                    + "than 20 words.", descriptions.groupDescriptions().get(k));
        }
    }

    @Test
    void flowerPromptsNameEachImagesZeroShotClass() throws IOException {
        EchoProvider provider = new EchoProvider(Integer.MAX_VALUE);
        RunContext context = context(settings("latte.dataset-kind=flower"), new RunStore(temp.resolve("run")));
        PseudoLabels labels = PseudoLabelPhase.run(context);
        Descriptions descriptions = DescriptionsPhase.run(context, labels, inputs(provider));
        for (int k = 0; k < descriptions.images().length; k++) {
            String className = DATA.classes().names().get(labels.predicted()[k]);
            assertEquals(DATA.target().keys().get(k) + " | Describe the " + className
                    + " flower in the photo concisely, less than 20 words.", descriptions.imageDescriptions().get(k));
        }
    }

    @Test
    void aRunStoppedPartWayAsksOnlyForTheRestAndEndsAsAnUninterruptedOne() throws IOException {
        Descriptions straight = describe(new EchoProvider(Integer.MAX_VALUE), temp.resolve("a"));

        EchoProvider failing = new EchoProvider(25);
        assertThrows(DescriptionException.class, () -> describe(failing, temp.resolve("b")));
        assertEquals(24, failing.requests.size());
        EchoProvider second = new EchoProvider(Integer.MAX_VALUE);
        Descriptions resumed = describe(second, temp.resolve("b"));
        assertEquals(2 * DATA.target().size() - 24, second.requests.size(), "nothing is asked twice");
        assertFalse(second.requests.stream().anyMatch(failing.requests::contains));
        assertEquals(straight.imageDescriptions(), resumed.imageDescriptions());
        assertEquals(straight.groupDescriptions(), resumed.groupDescriptions());
        assertArrayEquals(straight.groups(), resumed.groups());
    }

    /** Both phases in {@code folder} (the run's and the descriptions' store), with the run's seed. */
    private Descriptions describe(DescriptionProvider provider, Path folder) throws IOException {
        RunContext context = context(settings(), new RunStore(folder.resolve("run")));
        return DescriptionsPhase.run(context, PseudoLabelPhase.run(context),
                new LatteInputs(key -> temp.resolve("images").resolve(key), provider, folder.resolve("descriptions")));
    }

    @Test
    void offlineInputsDescribeWithTheCaptionBankAndSaySo() throws IOException {
        // A text tower that puts "red …" captions on one axis and "blue …" on another.
        List<String> bank = List.of("a red thing.", "a blue thing.");
        LatteInputs offline = LatteInputs.offline(DATA, key -> temp.resolve("images").resolve(key), "synthetic",
                texts -> texts.stream().map(text -> axis(text.contains("red") ? 0 : text.contains("blue") ? 1 : 2))
                        .toArray(float[][]::new),
                bank, temp.resolve("descriptions"));
        RunContext context = context(settings(), new RunStore(temp.resolve("run")));
        Descriptions descriptions = DescriptionsPhase.run(context, PseudoLabelPhase.run(context), offline);
        assertTrue(descriptions.provider().startsWith("offline caption bank (2 captions "), descriptions.provider());
        assertTrue(descriptions.provider().endsWith(", model synthetic)"), descriptions.provider());
        assertTrue(bank.containsAll(descriptions.imageDescriptions()));
        assertTrue(bank.containsAll(descriptions.groupDescriptions()));
    }

    private static float[] axis(int index) {
        float[] unit = new float[DATA.dimension()];
        unit[index] = 1;
        return unit;
    }

    @Test
    void settingsDefaultToThePapersDescriptionsAndTheIntendedMixing() {
        Settings defaults = settings();
        assertEquals("all", defaults.choice("labels.selection"));
        assertEquals("object", defaults.choice("latte.dataset-kind"));
        assertEquals(4, defaults.integer("latte.group-size"));
        assertEquals(0.01, defaults.decimal("latte.alpha"));
        assertFalse(defaults.flag("latte.replicate-broadcast-quirk"));
        assertEquals("run", defaults.choice("latte.class-texts"));
        assertEquals(0.2, defaults.decimal("train.weight-decay"));
        assertEquals(List.of("labels", "descriptions", "train"),
                new LatteClip().info().phases().stream().map(phase -> phase.id()).toList());
    }

    @Test
    void isOfferedAndSaysWhatItLacks() {
        assertTrue(AdaptationMethods.ids().contains("latteclip"));
        IllegalStateException noImages = assertThrows(IllegalStateException.class,
                () -> AdaptationMethods.create("latteclip").adapt(context(settings(), new RunStore(temp))));
        assertTrue(noImages.getMessage().contains("needs the image files"), noImages.getMessage());
        IllegalStateException noProvider = assertThrows(IllegalStateException.class, () -> LatteInputs.of(
                DATA.withImages(new ImageSource(null, temp, Optional.empty()))));
        assertTrue(noProvider.getMessage().contains("--descriptions"), noProvider.getMessage());
    }
}
