package org.clipwb.core.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

/**
 * Receives each parameter of a CLIP block under its canonical name, the name it has in OpenAI's state dict (and in
 * open_clip checkpoints), together with the shape the configuration requires of it.
 */
@FunctionalInterface
interface ParameterSink {
    void accept(String name, Parameter parameter, Shape shape);

    /** A sink that prefixes every name, for a child block. */
    default ParameterSink under(String prefix) {
        return (name, parameter, shape) -> accept(prefix + name, parameter, shape);
    }
}
