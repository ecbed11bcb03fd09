package org.clipwb.core.zeroshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.clipwb.core.data.ImageFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {
    @TempDir
    Path temp;

    @Test
    void accuracyAndConfusionSkipUnlabelledImages() {
        ClassList classes = ClassList.parse("cat\ndog\nbird");
        List<Prediction> predictions = List.of(
                new Prediction(new float[] {0.8f, 0.1f, 0.1f}),
                new Prediction(new float[] {0.2f, 0.7f, 0.1f}),
                new Prediction(new float[] {0.5f, 0.4f, 0.1f}),
                new Prediction(new float[] {0.1f, 0.1f, 0.8f}));
        Evaluation evaluation = Evaluation.of(classes, predictions, new int[] {0, 1, 1, -1});
        assertEquals(3, evaluation.total());
        assertEquals(2, evaluation.correct());
        assertEquals(2.0 / 3, evaluation.accuracy(), 1e-9);
        assertArrayEquals(new int[] {1, 0, 0}, evaluation.confusion()[0]);
        assertArrayEquals(new int[] {1, 1, 0}, evaluation.confusion()[1]);
        assertEquals(0.5, evaluation.classAccuracy(1), 1e-9);
        assertTrue(Double.isNaN(evaluation.classAccuracy(2)));
        String table = evaluation.confusionTable();
        assertTrue(table.startsWith("true \\ predicted"), table);
        assertEquals(4, table.lines().count());
    }

    @Test
    void labelsComeFromClassSubfoldersOnlyWhenAllMatch() throws IOException {
        touch("Golden_Retriever/a.jpg");
        touch("cat/b.png");
        touch("cat/nested/c.jpg");
        ImageFolder folder = ImageFolder.scan(temp);
        assertTrue(folder.hasEvaluationLabels());
        EvaluationLabels labels = EvaluationLabels.match(folder, ClassList.parse("cat\ngolden retriever"));
        assertArrayEquals(new int[] {1, 0, 0}, labels.labels());
        assertTrue(labels.available());

        EvaluationLabels unmatched = EvaluationLabels.match(folder, ClassList.parse("cat\ndog"));
        assertEquals(List.of("Golden_Retriever"), unmatched.unmatchedFolders());
        assertTrue(!unmatched.available());
    }

    private void touch(String relative) throws IOException {
        Path file = temp.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1});
    }
}
