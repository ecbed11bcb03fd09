package org.clipwb.core.adapt.flyp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.clipwb.core.adapt.train.Losses;
import org.junit.jupiter.api.Test;

/** FLYP's objective: CLIP's symmetric loss between a batch's images and the captions of their labels (§1.6). */
class FlypLossTest {
    @Test
    void eachImageIsCaptionedWithTheTemplateOfItsLabel() {
        ClassCaptions captions = new ClassCaptions("a photo of a {}, a type of flower.", List.of("rose", "tulip"));
        assertEquals(List.of("a photo of a tulip, a type of flower.", "a photo of a rose, a type of flower.",
                "a photo of a tulip, a type of flower."), captions.of(new int[] {1, 0, 1}));
    }

    @Test
    void anotherImageOfTheSameClassIsANegative() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Two images of one class, I = (e₁, e₂), share one caption: T = ((1, 0), (1, 0)); s = 1.
            // Image → text, s·I·Tᵀ = [[1, 1], [0, 0]]: row 1 (class 0) log 2, row 2 (class 1) log 2; mean 0.6931471806.
            // Text → image, s·T·Iᵀ = [[1, 0], [1, 0]]: log(1 + e⁻¹) = 0.3132616875, log(1 + e) = 1.3132616875;
            //   mean 0.8132616875.
            // Half their sum: 0.7532044340. (Masking the duplicate, as flyp_loss.py does not, would lower it.)
            float loss = Losses.symmetricContrastive(manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2)),
                    manager.create(new float[] {1, 0, 1, 0}, new Shape(2, 2)), manager.create(1f)).getFloat();
            assertEquals(0.7532044340, loss, 1e-6);
        }
    }
}
