package org.clipwb.core.adapt.flyp;

import java.util.Arrays;
import java.util.List;
import org.clipwb.core.zeroshot.PromptTemplates;

/**
 * The caption of an image under a (pseudo-)label: one template with the class's name, {@code template(c)}. FLYP
 * fine-tunes on these as image–caption pairs (methods.md §1.6; in LatteCLIP's re-implementation the label is the
 * fixed offline zero-shot one), and LatteCLIP's class descriptions L_ft and L_zs are the same captions of its two
 * pseudo-labels (§3.2 P5, §3.3).
 */
public final class ClassCaptions {
    private final PromptTemplates template;
    private final List<String> classNames;

    /**
     * @param template one template with {@code {}} where the class name goes, e.g. "a photo of a {}." (§3.4)
     * @param classNames the class names, by class index
     */
    public ClassCaptions(String template, List<String> classNames) {
        this.template = PromptTemplates.single(template);
        this.classNames = List.copyOf(classNames);
    }

    /** The caption of each label, in order; images of the same class get the same caption. */
    public List<String> of(int[] labels) {
        return Arrays.stream(labels).mapToObj(label -> template.prompts(classNames.get(label)).get(0)).toList();
    }
}
