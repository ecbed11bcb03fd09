package org.clipwb.core.adapt.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TrainingRecipeTest {
    @Test
    void coopsRecipeWarmsUpForAnEpochThenFollowsTheCosineEpochByEpoch() {
        TrainingRecipe recipe = TrainingRecipe.from(new SelfTraining().info().defaults(), TrainingRecipe.SGD, false,
                true);
        assertEquals(new TrainingRecipe(TrainingRecipe.SGD, 50, 32, 0.002, 0.9, 5e-4, 1e-8, 1, false, true), recipe);
        // Every step of an epoch has the epoch's rate: 1e-5 in the warm-up, then ½(1 + cos(π (e − 1)/49))·0.002.
        assertEquals(1e-5, recipe.rate(0, 3, 10));
        assertEquals(0.002, recipe.rate(1, 10, 10), 1e-15);
        assertEquals(0.002, recipe.rate(1, 19, 10), 1e-15);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 24 / 49)) * 0.002, recipe.rate(25, 250, 10), 1e-15);
    }

    @Test
    void tipAdapterFsRecipeIsAdamWWithACosineThatFallsEveryStep() {
        TrainingRecipe recipe = TrainingRecipe.from(new TipAdapterF().info().defaults(), TrainingRecipe.ADAMW, true,
                false);
        assertEquals(new TrainingRecipe(TrainingRecipe.ADAMW, 20, 256, 1e-3, 0, 0.01, 1e-4, 0, true, false), recipe);
        // 20 epochs of 4 steps: CosineAnnealingLR over 80 steps, ½(1 + cos(π t/80))·1e-3.
        assertEquals(1e-3, recipe.rate(0, 0, 4), 1e-15);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 5 / 80)) * 1e-3, recipe.rate(1, 5, 4), 1e-15);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 79 / 80)) * 1e-3, recipe.rate(19, 79, 4), 1e-15);
    }
}
