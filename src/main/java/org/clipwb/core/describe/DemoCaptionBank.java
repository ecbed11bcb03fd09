package org.clipwb.core.describe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.clipwb.core.demo.Caption;
import org.clipwb.core.demo.Captioner;
import org.clipwb.core.demo.SceneSampler;

/** A caption bank for the sample projects: distinct captions of random scenes of the demo world. */
public final class DemoCaptionBank {
    /** Scenes drawn per wanted caption before giving up; the world has far more distinct captions than any bank. */
    private static final int DRAWS_PER_CAPTION = 20;

    private DemoCaptionBank() {
    }

    /** The texts of {@link #captions}. */
    public static List<String> sample(int count, long seed) {
        return captions(count, seed).stream().map(Caption::text).toList();
    }

    /**
     * {@code count} captions with distinct texts, with what each claims about its scene; the same for the same seed
     * on every machine.
     */
    public static List<Caption> captions(int count, long seed) {
        Map<String, Caption> captions = new LinkedHashMap<>();
        for (long draw = 0; captions.size() < count; draw++) {
            if (draw == (long) count * DRAWS_PER_CAPTION) {
                throw new IllegalArgumentException("the demo world gave only " + captions.size() + " distinct "
                        + "captions in " + draw + " scenes, fewer than the " + count + " asked for");
            }
            SplittableRandom random = SceneSampler.randomFor(seed, draw);
            Caption caption = Captioner.caption(SceneSampler.sample(random), random);
            captions.putIfAbsent(caption.text(), caption);
        }
        return List.copyOf(captions.values());
    }
}
