package org.clipwb.core.adapt.llu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.Cancellation;
import org.clipwb.core.adapt.Checkpoint;
import org.clipwb.core.adapt.LabeledSet;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.RunStore;
import org.clipwb.core.zeroshot.ClassList;
import org.clipwb.testing.Vectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LLU's loss (methods.md §2.2) through its training loop: one SGD step from the identity moves every parameter by
 * exactly −lr times the cross-entropy gradient worked out by hand (the regulariser's subgradient is 0 at the
 * identity, whatever λ), and in a second step λ adds λ·(W − I)/‖W − I‖_F (or 2λ·(W − I) squared).
 */
class LluLossTest {
    private static final float SCALE = 2;
    private static final double BETA = 0.5;
    private static final double GAMMA = 20;
    private static final double LR = 0.1;
    private static final float[][] TEXTS = {{1, 0}, {0, 1}};
    /** Pseudo-labels 0, 1, 1 (zero-shot argmax), all selected. */
    private static final float[][] IMAGES = {Vectors.unit(0.8, 0.6), Vectors.unit(0.28, 0.96), Vectors.unit(0.6, 0.8)};
    private static final int[] LABELS = {0, 1, 1};
    private static final String[] PARAMETERS = {"image_weight", "image_bias", "text_weight", "text_bias"};

    @TempDir
    Path temp;

    private static AdaptationData data() {
        return new AdaptationData(ClassList.parse("a\nb"), new LabeledSet(List.of("0.png", "1.png", "2.png"), IMAGES,
                new int[] {0, 1, 1}), TEXTS, SCALE, LabeledSet.empty(), Optional.empty());
    }

    private Checkpoint fit(String name, int epochs, double lambda, boolean renormalise, String regulariser)
            throws IOException {
        Llu llu = new Llu();
        RunStore store = new RunStore(temp.resolve(name));
        llu.adapt(new RunContext(data(), llu.info().defaults().withAssignments(List.of("labels.selection=all", "labels.prior=as-predicted",
                "llu.anchors=10", "llu.beta=" + BETA, "llu.gamma=" + GAMMA, "llu.lambda=" + lambda,
                "llu.renormalise=" + renormalise, "llu.regulariser=" + regulariser, "train.epochs=" + epochs,
                "train.warmup-epochs=0", "train.lr=" + LR, "train.batch-size=8")), 1, store, event -> { },
                new Cancellation()));
        return store.checkpoint("fit").orElseThrow();
    }

    @ParameterizedTest(name = "renormalise {0}")
    @ValueSource(booleans = {false, true})
    void oneStepFromTheIdentityIsMinusLrTimesTheCrossEntropyGradient(boolean renormalise) throws IOException {
        double[][] gradient = crossEntropyGradient(renormalise);
        double[][] start = {{1, 0, 0, 1}, {0, 0}, {1, 0, 0, 1}, {0, 0}};
        for (double lambda : new double[] {0, 1000}) {
            Checkpoint fitted = fit("step-" + lambda, 1, lambda, renormalise, "frobenius");
            for (int p = 0; p < PARAMETERS.length; p++) {
                double[] expected = new double[start[p].length];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = start[p][i] - LR * gradient[p][i];
                }
                Vectors.assertClose(expected, fitted.tensor(PARAMETERS[p]).values(), 1e-6,
                        PARAMETERS[p] + " after one step, λ = " + lambda);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"frobenius", "squared-frobenius"})
    void theSecondStepAddsTheRegularisersGradient(String regulariser) throws IOException {
        double lambda = 0.5;
        Checkpoint first = fit("one", 1, 0, true, regulariser);
        Checkpoint plain = fit("plain", 2, 0, true, regulariser);
        Checkpoint regularised = fit("regularised", 2, lambda, true, regulariser);
        double rate = 0.5 * LR; // the cosine over two epochs, at epoch 1: 0.5 · (1 + cos(π/2)) · lr
        for (String name : PARAMETERS) {
            float[] after = first.tensor(name).values();
            double[] offset = new double[after.length];
            double norm = 0;
            for (int i = 0; i < after.length; i++) {
                offset[i] = after[i] - (name.endsWith("weight") && (i == 0 || i == 3) ? 1 : 0); // W − I, b − 0
                norm += offset[i] * offset[i];
            }
            norm = Math.sqrt(norm);
            float[] withoutLambda = plain.tensor(name).values();
            double[] expected = new double[after.length];
            for (int i = 0; i < after.length; i++) {
                double regulariserGradient = regulariser.equals("frobenius") ? offset[i] / norm : 2 * offset[i];
                expected[i] = withoutLambda[i] - rate * lambda * regulariserGradient;
            }
            Vectors.assertClose(expected, regularised.tensor(name).values(), 2e-6, name);
        }
        assertArrayEquals(new long[] {2, 2}, regularised.tensor("image_weight").shape());
    }

    /**
     * ∂CE/∂(W_I, b_I, W_T, b_T) at W = I, b = 0, as row-major arrays, for CE the mean over the images of
     * −log softmax(s · h_I(z)ᵀ h_T(t_k))_y. At the identity h(z) = z; with e_k = p_k − y_k,
     * ∂CE/∂h_I(z) = P_z s Σ_k e_k t_k and ∂CE/∂h_T(t_k) = P_t s Σ_i e_ik z_i, where P is I − z zᵀ when h is
     * renormalised (the Jacobian of h/|h| at a unit h) and I otherwise; then ∂h/∂W = α · (∂h) zᵀ and ∂h/∂b = α · ∂h.
     * Every training image is its own anchor and every class text too, so α = β · exp(−γ · (1 − 1)) = β.
     */
    private static double[][] crossEntropyGradient(boolean renormalise) {
        int n = IMAGES.length;
        double[] imageWeight = new double[4];
        double[] imageBias = new double[2];
        double[] textWeight = new double[4];
        double[] textBias = new double[2];
        for (int i = 0; i < n; i++) {
            float[] z = IMAGES[i];
            double[] logits = {SCALE * Vectors.dot(z, TEXTS[0]), SCALE * Vectors.dot(z, TEXTS[1])};
            double total = Math.exp(logits[0]) + Math.exp(logits[1]);
            double[] error = {Math.exp(logits[0]) / total - (LABELS[i] == 0 ? 1 : 0),
                Math.exp(logits[1]) / total - (LABELS[i] == 1 ? 1 : 0)};
            double[] upImage = new double[2];
            for (int k = 0; k < 2; k++) {
                for (int d = 0; d < 2; d++) {
                    upImage[d] += SCALE * error[k] * TEXTS[k][d];
                }
            }
            addOuter(imageWeight, imageBias, project(upImage, z, renormalise), z, BETA / n);
            for (int k = 0; k < 2; k++) {
                double[] upText = {SCALE * error[k] * z[0], SCALE * error[k] * z[1]};
                addOuter(textWeight, textBias, project(upText, TEXTS[k], renormalise), TEXTS[k], BETA / n);
            }
        }
        return new double[][] {imageWeight, imageBias, textWeight, textBias};
    }

    private static double[] project(double[] gradient, float[] unit, boolean renormalise) {
        if (!renormalise) {
            return gradient;
        }
        double along = gradient[0] * unit[0] + gradient[1] * unit[1];
        return new double[] {gradient[0] - along * unit[0], gradient[1] - along * unit[1]};
    }

    /** weight += factor · g zᵀ ([out, in]), bias += factor · g. */
    private static void addOuter(double[] weight, double[] bias, double[] g, float[] z, double factor) {
        for (int out = 0; out < 2; out++) {
            bias[out] += factor * g[out];
            for (int in = 0; in < 2; in++) {
                weight[out * 2 + in] += factor * g[out] * z[in];
            }
        }
    }
}
