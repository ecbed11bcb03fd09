package org.clipwb.core.adapt.coft;

import java.util.List;
import java.util.Locale;

/**
 * Phase II's bidirectional collaborative filtering (methods.md §4.4): each model proposes labels for every target
 * image and the other validates them with its positive–negative criterion {@code p_clean = σ(S⁺ − S⁻) > 0.5},
 * i.e. {@code S⁺ > S⁻}, with no hand-set threshold. How the two directions combine is a setting.
 */
final class CollaborativeFilter {
    /** Who proposed or validated a label: model A, model B, or nobody (a discarded image). */
    static final int MODEL_A = 0;
    static final int MODEL_B = 1;
    static final int NOBODY = -1;

    /** The combination rules of §4.4. */
    enum Rule {
        /** ŷ_A if B accepts it, else ŷ_B if A accepts it, else discard (★). */
        A_PREFERRED("a-preferred"),
        /** ŷ_A = ŷ_B and both accept. */
        AGREEMENT("agreement"),
        /** Two sets, one per direction, each for its own student. */
        TWO_SETS("two-sets"),
        /**
         * Alternating passes [INFERRED reading of "alternately generating and validating"]: A proposes its best class
         * not yet rejected by B for every unlabeled image and B validates, then the roles swap; a rejected (image,
         * class) is not proposed to the same validator again; passes continue until neither model has a class left
         * to propose for an unlabeled image (the retained set can no longer change).
         */
        ALTERNATING("alternating");

        static final List<String> WORDS = List.of("a-preferred", "agreement", "two-sets", "alternating");
        private final String word;

        Rule(String word) {
            this.word = word;
        }

        static Rule of(String word) {
            for (Rule rule : values()) {
                if (rule.word.equals(word.toLowerCase(Locale.ROOT))) {
                    return rule;
                }
            }
            throw new IllegalArgumentException("unknown Phase-II rule '" + word + "' (known: " + WORDS + ")");
        }
    }

    /** S⁺ and S⁻ [N][C] of one model on the target images. */
    record ModelScores(float[][] positive, float[][] negative) {
        int predicted(int image) {
            return argMax(positive[image], null);
        }

        float cleanProbability(int image, int label) {
            return (float) (1 / (1 + Math.exp(-(positive[image][label] - negative[image][label]))));
        }
    }

    /**
     * The retained label of every image.
     *
     * @param label the retained class, −1 when discarded
     * @param generator the model that proposed it ({@link #MODEL_A}, {@link #MODEL_B}, {@link #NOBODY})
     * @param validator the model that accepted it
     * @param cleanProbability the validator's p_clean of the retained label; of the first check when discarded
     */
    record Decision(int[] label, int[] generator, int[] validator, float[] cleanProbability) {
        int size() {
            return label.length;
        }

        int retained() {
            int count = 0;
            for (int l : label) {
                count += l >= 0 ? 1 : 0;
            }
            return count;
        }

        boolean kept(int image) {
            return label[image] >= 0;
        }
    }

    private CollaborativeFilter() {
    }

    /** One direction: {@code generator} proposes its argmax, {@code validator} keeps it when p_clean > 0.5. */
    static Decision oneWay(ModelScores generator, int generatorId, ModelScores validator, int validatorId) {
        int n = generator.positive().length;
        Decision decision = empty(n);
        for (int i = 0; i < n; i++) {
            int proposed = generator.predicted(i);
            float p = validator.cleanProbability(i, proposed);
            decision.cleanProbability()[i] = p;
            if (p > 0.5f) {
                accept(decision, i, proposed, generatorId, validatorId, p);
            }
        }
        return decision;
    }

    /** The combined decision of a rule; for {@link Rule#TWO_SETS}, the A→B set completed by the B→A set (for display). */
    static Decision decide(Rule rule, ModelScores a, ModelScores b) {
        return switch (rule) {
            case A_PREFERRED, TWO_SETS -> preferFirst(oneWay(a, MODEL_A, b, MODEL_B), oneWay(b, MODEL_B, a, MODEL_A));
            case AGREEMENT -> agreement(a, b);
            case ALTERNATING -> alternating(a, b);
        };
    }

    /**
     * Keeps, of each class's retained labels, the fraction {@code fraction} (rounded up) with the highest p_clean; the
     * others are discarded like a rejected label (no generator or validator; their p_clean stays recorded).
     * {@code fraction} 1 keeps the decision as it is [INFERRED: a class-wise small-loss selection].
     */
    static Decision mostConfident(Decision decision, double fraction, int classes) {
        if (fraction >= 1) {
            return decision;
        }
        Decision out = new Decision(decision.label().clone(), decision.generator().clone(),
                decision.validator().clone(), decision.cleanProbability().clone());
        for (int c = 0; c < classes; c++) {
            int label = c;
            int[] members = java.util.stream.IntStream.range(0, decision.size())
                    .filter(i -> decision.label()[i] == label).boxed()
                    .sorted((i, j) -> Float.compare(decision.cleanProbability()[j], decision.cleanProbability()[i]))
                    .mapToInt(Integer::intValue).toArray();
            int keep = (int) Math.ceil(fraction * members.length);
            for (int m = keep; m < members.length; m++) {
                out.label()[members[m]] = -1;
                out.generator()[members[m]] = NOBODY;
                out.validator()[members[m]] = NOBODY;
            }
        }
        return out;
    }

    private static Decision preferFirst(Decision first, Decision second) {
        Decision out = empty(first.size());
        for (int i = 0; i < first.size(); i++) {
            Decision source = first.kept(i) || !second.kept(i) ? first : second;
            out.label()[i] = source.label()[i];
            out.generator()[i] = source.generator()[i];
            out.validator()[i] = source.validator()[i];
            out.cleanProbability()[i] = source.cleanProbability()[i];
        }
        return out;
    }

    private static Decision agreement(ModelScores a, ModelScores b) {
        int n = a.positive().length;
        Decision decision = empty(n);
        for (int i = 0; i < n; i++) {
            int label = a.predicted(i);
            float byB = b.cleanProbability(i, label);
            float byA = a.cleanProbability(i, label);
            decision.cleanProbability()[i] = Math.min(byA, byB);
            if (label == b.predicted(i) && byA > 0.5f && byB > 0.5f) {
                accept(decision, i, label, MODEL_A, MODEL_B, Math.min(byA, byB));
            }
        }
        return decision;
    }

    private static Decision alternating(ModelScores a, ModelScores b) {
        int n = a.positive().length;
        int classes = a.positive()[0].length;
        Decision decision = empty(n);
        ModelScores[] models = {a, b};
        // rejected[v][i][c]: validator v has rejected class c of image i; it is not asked about it again.
        boolean[][][] rejected = new boolean[2][n][classes];
        boolean[] checked = new boolean[n];
        int idlePasses = 0;
        for (int pass = 0; idlePasses < 2; pass++) {
            int generator = pass % 2;
            int validator = 1 - generator;
            int verdicts = 0;
            for (int i = 0; i < n; i++) {
                if (decision.kept(i)) {
                    continue;
                }
                int proposed = argMax(models[generator].positive()[i], rejected[validator][i]);
                if (proposed < 0) {
                    continue;
                }
                float p = models[validator].cleanProbability(i, proposed);
                if (!checked[i]) {
                    decision.cleanProbability()[i] = p;
                    checked[i] = true;
                }
                if (p > 0.5f) {
                    accept(decision, i, proposed, generator, validator, p);
                } else {
                    rejected[validator][i][proposed] = true;
                }
                verdicts++;
            }
            // Every verdict accepts a label or rules a class out, so at most 2·C passes find something to ask.
            idlePasses = verdicts == 0 ? idlePasses + 1 : 0;
        }
        return decision;
    }

    private static Decision empty(int n) {
        Decision decision = new Decision(new int[n], new int[n], new int[n], new float[n]);
        java.util.Arrays.fill(decision.label(), -1);
        java.util.Arrays.fill(decision.generator(), NOBODY);
        java.util.Arrays.fill(decision.validator(), NOBODY);
        return decision;
    }

    private static void accept(Decision decision, int image, int label, int generator, int validator, float p) {
        decision.label()[image] = label;
        decision.generator()[image] = generator;
        decision.validator()[image] = validator;
        decision.cleanProbability()[image] = p;
    }

    /** The index of the largest value not excluded (the first on a tie), −1 when every one is excluded. */
    private static int argMax(float[] values, boolean[] excluded) {
        int best = -1;
        for (int c = 0; c < values.length; c++) {
            if ((excluded == null || !excluded[c]) && (best < 0 || values[c] > values[best])) {
                best = c;
            }
        }
        return best;
    }
}
