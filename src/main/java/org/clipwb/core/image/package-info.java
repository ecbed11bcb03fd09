/**
 * Images for CLIP: decoding files to {@link org.clipwb.core.image.RgbImage} as Pillow does
 * ({@link org.clipwb.core.image.ImageDecoder}), Pillow's antialiased bicubic resize
 * ({@link org.clipwb.core.image.PillowResampler}) and CLIP preprocessing into float tensors
 * ({@link org.clipwb.core.image.ClipPreprocessor}, {@link org.clipwb.core.image.PreprocessConfig}). Pixel values match
 * the Python reference (Pillow + torchvision/Hugging Face) exactly; see each class for the rules followed.
 */
package org.clipwb.core.image;
