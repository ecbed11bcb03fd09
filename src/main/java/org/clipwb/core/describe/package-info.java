/**
 * Descriptions of classes, images and groups of images written by a language model, for the methods that learn from
 * them (CuPL class descriptions for CoFT+, LatteCLIP's image and group descriptions). Providers: an Ollama server
 * ({@link org.clipwb.core.describe.OllamaProvider}), any OpenAI-compatible chat-completions server
 * ({@link org.clipwb.core.describe.OpenAiCompatibleProvider}), a JSON file
 * ({@link org.clipwb.core.describe.JsonImportProvider}) and an offline describer that picks captions from a bank
 * with the model being adapted ({@link org.clipwb.core.describe.CaptionBankDescriber}). The
 * {@link org.clipwb.core.describe.Describer} keeps what it obtains in a
 * {@link org.clipwb.core.describe.DescriptionStore}, so a rerun asks only for what is missing.
 */
package org.clipwb.core.describe;
