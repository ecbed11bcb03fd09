package org.clipwb.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The MLP activation of a CLIP transformer: OpenAI checkpoints use QuickGELU, OpenCLIP LAION ones exact GELU. */
public enum ActivationKind {
    /** x · sigmoid(1.702 x), as in OpenAI's CLIP. */
    QUICK_GELU {
        @Override
        public NDArray apply(NDArray x, boolean training) {
            // DJL's swish scales x by a number the backward pass would read after it was freed (see Scalars).
            NDArray gate = Activation.sigmoid(Scalars.mul(x, 1.702f));
            // Without autograd the product can go into the sigmoid's buffer: one pass and one allocation fewer.
            return training ? gate.mul(x) : gate.muli(x);
        }
    },
    /** The exact (erf) GELU. */
    GELU {
        @Override
        public NDArray apply(NDArray x, boolean training) {
            return Activation.gelu(x);
        }
    };

    /** Applies the activation element-wise; outside training it may reuse intermediate buffers. */
    public abstract NDArray apply(NDArray x, boolean training);

    /** transformers' {@code hidden_act} name of this activation, the inverse of {@link #fromHuggingFace}. */
    public String huggingFaceName() {
        return this == QUICK_GELU ? "quick_gelu" : "gelu";
    }

    /** Maps transformers' {@code hidden_act} names. */
    public static ActivationKind fromHuggingFace(String name) {
        switch (name) {
            case "quick_gelu":
                return QUICK_GELU;
            case "gelu":
                return GELU;
            default:
                throw new IllegalArgumentException("unsupported hidden_act \"" + name
                        + "\" (supported: quick_gelu, gelu)");
        }
    }
}
