package org.clipwb.core.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are Python 3.11's html.unescape of the same input. */
class HtmlUnescaperTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "it&apos;s | it's",
        "&amp b | & b",
        "&ampx | &x",
        "&notit; | \u00acit;",
        "&#128;&#x9d; | \u20ac\u009d",
        "&#0;&#13;&#xD800;&#1114112;&#99999999999999999999; | \ufffd\r\ufffd\ufffd\ufffd",
        "&#1;X&#x7f;&#xFDD0;&#x1FFFE; | X",
        "&#65&#x42;C | ABC",
        "&NotEqualTilde; | \u2242\u0338",
        "&unknown; & &; &#; | &unknown; & &; &#;",
        "no entities | no entities",
    })
    void unescapesLikePython(String escaped, String expected) {
        assertEquals(expected, HtmlUnescaper.unescape(escaped));
    }
}
