package org.clipwb.core.adapt.label;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.clipwb.core.adapt.AdaptationMethod;
import org.clipwb.core.adapt.MethodInfo;
import org.clipwb.core.adapt.MethodInfo.PhaseInfo;
import org.clipwb.core.adapt.RunContext;
import org.clipwb.core.adapt.Setting;
import org.clipwb.core.adapt.Settings;
import org.clipwb.core.adapt.head.ClassifierHead;

/**
 * The skeleton of the methods that learn from labeled embeddings (LLU and the baselines): phase 0's zero-shot
 * pseudo-labels with their settings first, then the training examples the method's source setting chooses (labeled
 * shots, pseudo-labels or both), then the method's own phases.
 */
public abstract class PseudoLabelMethod implements AdaptationMethod {
    private final MethodInfo info;

    /**
     * @param phases the method's phases after phase 0
     * @param settings the method's settings beside phase 0's
     */
    protected PseudoLabelMethod(String id, String title, String citation, List<PhaseInfo> phases,
            List<Setting> settings) {
        this(id, title, citation, PseudoLabelPhase.SETTINGS, phases, settings);
    }

    /**
     * @param labelSettings phase 0's settings, some with the method's own defaults
     *     ({@link PseudoLabelPhase#settingsWith})
     */
    protected PseudoLabelMethod(String id, String title, String citation, List<Setting> labelSettings,
            List<PhaseInfo> phases, List<Setting> settings) {
        List<PhaseInfo> allPhases = new ArrayList<>(List.of(PseudoLabelPhase.INFO));
        allPhases.addAll(phases);
        List<Setting> allSettings = new ArrayList<>(labelSettings);
        allSettings.addAll(settings);
        info = new MethodInfo(id, title, citation, List.copyOf(allPhases), List.copyOf(allSettings));
    }

    @Override
    public final MethodInfo info() {
        return info;
    }

    @Override
    public final ClassifierHead adapt(RunContext context) throws IOException {
        PseudoLabels pseudo = PseudoLabelPhase.run(context);
        TrainingExamples examples = TrainingExamples.of(context.data(), pseudo, source(context.settings()));
        return adapt(context, pseudo, examples);
    }

    /**
     * Where the examples come from: {@link TrainingExamples#SHOTS}, {@link TrainingExamples#PSEUDO} or
     * {@link TrainingExamples#SHOTS_AND_PSEUDO}, usually read from a setting.
     */
    protected abstract String source(Settings settings);

    /** The method's phases after phase 0, from its pseudo-labels and training examples. */
    protected abstract ClassifierHead adapt(RunContext context, PseudoLabels pseudo, TrainingExamples examples)
            throws IOException;
}
