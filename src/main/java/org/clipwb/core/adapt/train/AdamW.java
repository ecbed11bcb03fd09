package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * AdamW as PyTorch's {@code torch.optim.AdamW} computes it: decoupled decay {@code p −= lr·wd·p}, then Adam's
 * bias-corrected moments. Decay applies only to the parameters {@code decayed} accepts (CLIP practice: matrices,
 * not gains, biases or embeddings).
 */
public final class AdamW implements ParameterOptimizer {
    private final NDManager manager;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Predicate<String> decayed;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    /** An optimizer whose moments live in {@code manager}. */
    public AdamW(NDManager manager, double beta1, double beta2, double epsilon, double weightDecay,
            Predicate<String> decayed) {
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decayed = decayed;
    }

    @Override
    public void step(Map<String, NDArray> parameters, double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            String name = entry.getKey();
            NDArray parameter = entry.getValue();
            NDArray m = firstMoments.computeIfAbsent(name, k -> zerosLike(parameter));
            NDArray v = secondMoments.computeIfAbsent(name, k -> zerosLike(parameter));
            try (NDScope scope = new NDScope()) {
                NDArray values = Gradients.valuesOf(parameter);
                NDArray gradient = parameter.getGradient();
                if (weightDecay != 0 && decayed.test(name)) {
                    values.muli(1 - learningRate * weightDecay);
                }
                m.muli(beta1).addi(gradient.mul(1 - beta1));
                v.muli(beta2).addi(gradient.square().muli(1 - beta2));
                NDArray denominator = v.div(correction2).sqrt().addi(epsilon);
                values.subi(m.div(denominator).muli(learningRate / correction1));
                Gradients.clear(parameter);
            }
        }
    }

    private NDArray zerosLike(NDArray parameter) {
        return Gradients.kept(manager.zeros(parameter.getShape(), parameter.getDataType()));
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> state.put("m." + name, new Tensor(m.toFloatArray(), m.getShape().getShape())));
        secondMoments.forEach((name, v) -> state.put("v." + name, new Tensor(v.toFloatArray(), v.getShape().getShape())));
        state.put("steps", new Tensor(new float[] {steps}, 1));
        return state;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        firstMoments.clear();
        secondMoments.clear();
        state.forEach((key, tensor) -> {
            if (key.startsWith("m.")) {
                firstMoments.put(key.substring(2), Gradients.kept(tensor.toArray(manager)));
            } else if (key.startsWith("v.")) {
                secondMoments.put(key.substring(2), Gradients.kept(tensor.toArray(manager)));
            }
        });
        Tensor count = state.get("steps");
        steps = count == null ? 0 : (long) count.values()[0];
    }
}
