/**
 * The demo world: procedurally rendered shapes with natural-language captions (Java2D, deterministic by seed), the
 * contrastive pretraining that teaches a small CLIP about it, and the shifted renders of the sample projects. The
 * project trains its bundled demo model with this code, so anyone can reproduce it offline.
 */
package org.clipwb.core.demo;
