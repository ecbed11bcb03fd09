/**
 * What the methods that change the image encoder share (CoFT and CoFT+ here; LatteCLIP and FLYP are to use it too):
 * the target images decoded once and kept in memory within a budget ({@link org.clipwb.core.adapt.images.DecodedImages}),
 * training augmentations seeded per run, epoch, image and view ({@link org.clipwb.core.adapt.images.Augmentation}),
 * batches prepared on a background thread while the model computes
 * ({@link org.clipwb.core.adapt.images.BatchStream}), and trainable copies of the encoder's weights that leave the
 * loaded model untouched ({@link org.clipwb.core.adapt.images.TrainableWeights}).
 */
package org.clipwb.core.adapt.images;
