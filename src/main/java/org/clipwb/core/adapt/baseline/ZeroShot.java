package org.clipwb.core.adapt.baseline;

import java.io.IOException;
import java.util.List;
import org.clipwb.core.adapt.AdaptationData;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.head.ClassifierHead;
import org.clipwb.core.adapt.head.CosineHead;
import org.clipwb.core.adapt.label.PseudoLabelPhase;

/**
 * Zero-shot CLIP, the honest reference every adaptation is measured against (methods.md §1.2): the scaled cosine
 * similarity to the class weights, unchanged. Whether those come from one template or an ensemble is decided by
 * whoever built the data's class weights. Phase 0 still runs, so the run records the pseudo-labels the other methods
 * would start from.
 */
public final class ZeroShot implements AdaptationMethod {
    /** The method's id. */
    public static final String ID = "zero-shot";
    private static final MethodInfo INFO = new MethodInfo(ID, "Zero-shot CLIP",
            "Radford et al. Learning Transferable Visual Models From Natural Language Supervision. ICML 2021",
            List.of(PseudoLabelPhase.INFO), PseudoLabelPhase.SETTINGS);

    @Override
    public MethodInfo info() {
        return INFO;
    }

    @Override
    public ClassifierHead adapt(RunContext context) throws IOException {
        PseudoLabelPhase.run(context);
        AdaptationData data = context.data();
        return new CosineHead(data.classWeights(), data.logitScale());
    }
}
