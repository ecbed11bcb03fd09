package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.IOException;
import java.util.Map;
import org.clipwb.testing.TestData;
import org.junit.jupiter.api.Test;

/** The port is trainable: gradients reach every parameter, freezing by name works, a step lowers the loss. */
class ClipModelTrainingTest {
    private static final int EOT = 633;

    @Test
    void gradientsReachEveryParameterAndAStepLowersTheLoss() throws Throwable {
        // A fresh thread: PyTorch's autograd mode is per thread and on by default there, as on UI worker threads.
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                trainOneStep();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        worker.start();
        worker.join();
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void trainOneStep() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            model.trainOnly(name -> true);
            ParameterStore store = new ParameterStore(manager, false);
            Engine.getInstance().setRandomSeed(17); // an unlucky draw need not show the step lowering the loss
            NDArray pixels = manager.randomNormal(0, 1, new Shape(4, 3, 32, 32), DataType.FLOAT32);
            NDArray tokens = tokens(manager);

            float before;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = contrastiveLoss(model, store, pixels, tokens);
                before = loss.getFloat();
                collector.backward(loss);
            }
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                NDArray gradient = entry.getValue().getArray().getGradient();
                assertTrue(gradient.abs().sum().getFloat() > 0, "no gradient reached " + entry.getKey());
            }
            // DJL's optimizer updates outside autograd, whatever this thread's grad mode (it is per thread).
            Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build();
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                NDArray array = entry.getValue().getArray();
                sgd.update(entry.getKey(), array, array.getGradient());
            }
            float after = contrastiveLoss(model, store, pixels, tokens).getFloat();
            assertTrue(after < before, "loss went from " + before + " to " + after);
        }
    }

    @Test
    void freezingByNameKeepsGradientsOffFrozenParameters() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = ClipCheckpoint.load(TestData.tinyClip().resolve("hf"), EOT, manager).model();
            model.trainOnly(name -> name.startsWith("visual.") && name.contains("ln_"));
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(contrastiveLoss(model, store,
                        manager.randomNormal(new Shape(4, 3, 32, 32)), tokens(manager)));
            }
            int trainable = 0;
            for (Map.Entry<String, Parameter> entry : model.namedParameters().entrySet()) {
                boolean shouldTrain = entry.getKey().startsWith("visual.") && entry.getKey().contains("ln_");
                assertEquals(shouldTrain, entry.getValue().requiresGradient(), entry.getKey());
                if (shouldTrain) {
                    trainable++;
                    assertTrue(entry.getValue().getArray().getGradient().abs().sum().getFloat() > 0, entry.getKey());
                } else {
                    assertFalse(entry.getValue().getArray().hasGradient(), entry.getKey());
                }
            }
            assertEquals(2 + 2 * 2 * 2 + 2, trainable); // ln_pre, 2 per layer x 2 layers, ln_post (weight + bias)
        }
    }

    @Test
    void randomlyInitialisedModelHasTheConfiguredShapes() throws IOException {
        ClipConfig config = ClipConfig.fromOpenClip(TestData.tinyClip().resolve("open_clip/open_clip_config.json"));
        try (NDManager manager = NDManager.newBaseManager()) {
            ClipModel model = new ClipModel(config, EOT);
            model.initialize(manager, 2);
            model.expectedShapes().forEach((name, shape) ->
                    assertEquals(shape, model.namedParameters().get(name).getArray().getShape(), name));
            ParameterStore store = new ParameterStore(manager, false);
            assertEquals(new Shape(3, 64), model.encodeImage(store, manager.zeros(new Shape(3, 3, 32, 32)), false)
                    .getShape());
            assertEquals(ClipModel.INITIAL_LOGIT_SCALE, model.logitScale(store, manager.getDevice(), false).getFloat(),
                    1e-6f);
        }
    }

    @Test
    void activationsAreQuickGeluAndExactGelu() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray one = manager.create(new float[] {1f});
            assertEquals(1 / (1 + Math.exp(-1.702)), ActivationKind.QUICK_GELU.apply(one, false).getFloat(0), 1e-6);
            assertEquals(0.8413447f, ActivationKind.GELU.apply(one, false).getFloat(0), 1e-6); // erf form, not tanh's 0.8412
        }
    }

    /** Symmetric CLIP loss for four matched image/text pairs. */
    private static NDArray contrastiveLoss(ClipModel model, ParameterStore store, NDArray pixels, NDArray tokens) {
        NDArray image = model.encodeImage(store, pixels, true);
        NDArray text = model.encodeText(store, tokens, true);
        image = image.div(image.norm(new int[] {1}, true));
        text = text.div(text.norm(new int[] {1}, true));
        NDArray logits = image.matMul(text.transpose()).mul(model.logitScale(store, pixels.getDevice(), true).exp());
        NDArray labels = pixels.getManager().arange(0, 4, 1, DataType.INT64).oneHot(4);
        NDArray imageLoss = logits.logSoftmax(1).mul(labels).sum().neg().div(4);
        NDArray textLoss = logits.transpose().logSoftmax(1).mul(labels).sum().neg().div(4);
        return imageLoss.add(textLoss).div(2);
    }

    private static NDArray tokens(NDManager manager) {
        long[][] ids = new long[4][77];
        for (int i = 0; i < 4; i++) {
            ids[i][0] = 632;
            ids[i][1] = 300 + i;
            ids[i][2] = 320 + 2 * i;
            ids[i][3] = EOT;
        }
        return manager.create(ids);
    }
}
