package org.clipwb.core.adapt.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.clipwb.core.adapt.head.ClassifierHead.Tensor;

/**
 * SGD with momentum and weight decay as PyTorch's {@code torch.optim.SGD} computes it: {@code g = ∇ + wd·(p − p₀)},
 * {@code buf = μ·buf + g} ({@code buf = g} on the first step), {@code p −= lr·buf}. The decay pulls a parameter toward
 * {@code p₀}, zero unless {@link #decayToward} names another anchor (LLU decays its affine maps toward the identity).
 */
public final class Sgd implements ParameterOptimizer {
    private final NDManager manager;
    private final double momentum;
    private final double weightDecay;
    private final Map<String, NDArray> decayAnchors = new HashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final Set<String> started = new HashSet<>();

    /** An optimizer whose buffers live in {@code manager}. */
    public Sgd(NDManager manager, double momentum, double weightDecay) {
        this.manager = manager;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    /** Makes weight decay pull parameter {@code name} toward {@code anchor} instead of zero. */
    public Sgd decayToward(String name, NDArray anchor) {
        decayAnchors.put(name, anchor);
        return this;
    }

    @Override
    public void step(Map<String, NDArray> parameters, double learningRate) {
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            String name = entry.getKey();
            NDArray parameter = entry.getValue();
            NDArray buffer = buffers.computeIfAbsent(name, k -> Gradients.kept(manager.zeros(parameter.getShape(),
                    parameter.getDataType())));
            boolean first = !started.contains(name);
            try (NDScope scope = new NDScope()) {
                NDArray values = Gradients.valuesOf(parameter);
                NDArray direction = parameter.getGradient().duplicate();
                if (weightDecay != 0) {
                    NDArray anchor = decayAnchors.get(name);
                    direction.addi(anchor == null ? values.mul(weightDecay) : values.sub(anchor).muli(weightDecay));
                }
                // PyTorch starts the momentum buffer at the first gradient, not at zero.
                buffer.muli(first ? 0 : momentum).addi(direction);
                values.subi(buffer.mul(learningRate));
                Gradients.clear(parameter);
            }
            started.add(name);
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> state = new LinkedHashMap<>();
        buffers.forEach((name, buffer) -> state.put("momentum." + name,
                new Tensor(buffer.toFloatArray(), buffer.getShape().getShape())));
        return state;
    }

    @Override
    public void restore(Map<String, Tensor> state) {
        buffers.values().forEach(NDArray::close);
        buffers.clear();
        started.clear();
        state.forEach((key, tensor) -> {
            if (key.startsWith("momentum.")) {
                String name = key.substring("momentum.".length());
                buffers.put(name, Gradients.kept(tensor.toArray(manager)));
                started.add(name);
            }
        });
    }
}
