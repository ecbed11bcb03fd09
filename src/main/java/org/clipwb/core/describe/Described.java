package org.clipwb.core.describe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Descriptions and who wrote them.
 *
 * @param provider     the {@link DescriptionProvider#id()} of the provider that wrote every one of them
 * @param descriptions by what they describe, in the order asked
 */
public record Described<K, V>(String provider, Map<K, V> descriptions) {
    public Described {
        descriptions = Collections.unmodifiableMap(new LinkedHashMap<>(descriptions));
    }
}
