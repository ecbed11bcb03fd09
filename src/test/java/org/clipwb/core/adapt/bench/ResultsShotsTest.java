package org.clipwb.core.adapt.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.zeroshot.ClassList;
import org.junit.jupiter.api.Test;

/** The few-shot row's shots: a seeded draw of the target's own images, a fixed number per class, true labels. */
class ResultsShotsTest {
    @Test
    void drawsTheAskedNumberOfEachClassWithTrueLabelsAndKeepsTheTarget() {
        AdaptationData data = data(new int[] {10, 10, 3});
        AdaptationData withShots = ResultsBenchmark.withShots(data, 4, 7);
        LabeledSet shots = withShots.shots();
        int[] perClass = new int[3];
        for (int i = 0; i < shots.size(); i++) {
            String key = shots.keys().get(i);
            int index = data.target().keys().indexOf(key);
            assertEquals(data.target().labels()[index], shots.labels()[i], key + " keeps its true label");
            assertArrayEquals(data.target().embeddings()[index], shots.embeddings()[i], key);
            perClass[shots.labels()[i]]++;
        }
        assertArrayEquals(new int[] {4, 4, 3}, perClass, "4 per class, or all a smaller class has");
        assertEquals(data.target(), withShots.target(), "the shots stay in the target");
        assertEquals(shots.keys(), ResultsBenchmark.withShots(data, 4, 7).shots().keys(), "the same seed, the same draw");
        assertNotEquals(shots.keys(), ResultsBenchmark.withShots(data, 4, 8).shots().keys(), "another seed, another draw");
    }

    private static AdaptationData data(int[] imagesPerClass) {
        List<String> keys = new ArrayList<>();
        List<float[]> embeddings = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < imagesPerClass.length; c++) {
            for (int i = 0; i < imagesPerClass[c]; i++) {
                keys.add("c" + c + "/" + i + ".png");
                embeddings.add(new float[] {c, i});
                labels.add(c);
            }
        }
        LabeledSet target = new LabeledSet(keys, embeddings.toArray(float[][]::new),
                labels.stream().mapToInt(Integer::intValue).toArray());
        return new AdaptationData(ClassList.parse("a\nb\nc\n"), target, new float[][] {{1, 0}, {0, 1}, {1, 1}}, 100,
                LabeledSet.empty(), Optional.empty());
    }
}
