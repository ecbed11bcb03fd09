package org.clipwb.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pickle reader on what Python's pickle writes, and on pickles that must not load. */
class PickleMachineTest {
    /**
     * {@code pickle.dumps(v, protocol)} in Python 3.11 of {@code v = {'list': [1, -2, 3.5, True, False, None, (7,)],
     * 'big': 2**70, 'neg': -300, 'text': 'ü', 'shared': (s, s)}} with {@code s = [1]}.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "80027d71002858040000006c69737471015d7102284b014afeffffff47400c00000000000088894e4b0785710365580300000062"
                + "696771048a0900000000000000004058030000006e656771054ad4feffff58040000007465787471065802000000c3bc71"
                + "07580600000073686172656471085d71094b0161680986710a752e",
        "80049561000000000000007d94288c046c697374945d94284b014afeffffff47400c00000000000088894e4b078594658c036269"
                + "67948a090000000000000000408c036e6567944ad4feffff8c0474657874948c02c3bc948c06736861726564945d944b01"
                + "6168098694752e"})
    void readsWhatPythonWrites(String hex) throws IOException {
        Map<?, ?> value = (Map<?, ?>) read(HexFormat.of().parseHex(hex));

        assertEquals(List.of("list", "big", "neg", "text", "shared"), List.copyOf(value.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 3.5, true, false, null, List.of(7L)), value.get("list"));
        assertEquals(BigInteger.TWO.pow(70), value.get("big"));
        assertEquals(-300L, value.get("neg"));
        assertEquals("ü", value.get("text"));
        List<?> shared = (List<?>) value.get("shared");
        assertEquals(List.of(1L), shared.get(0));
        assertSame(shared.get(0), shared.get(1), "a memoised value is one object");
    }

    @Test
    void globalsGoToTheResolverAndReduceCallsOnlyWhatItGave() throws IOException {
        // c builtins\nlen\n ) R . : len(), which the resolver answers with a callable of its own
        byte[] pickle = "\u0080\u0002cbuiltins\nlen\n)R.".getBytes(StandardCharsets.ISO_8859_1);
        PickleMachine.PythonCallable zero = arguments -> 0L;
        Object value = new PickleMachine(new ByteArrayInputStream(pickle), "test.pkl", (module, name) -> {
            assertEquals("builtins.len", module + "." + name);
            return zero;
        }, id -> id).next();
        assertEquals(0L, value);

        IOException notCallable = assertThrows(IOException.class, () -> new PickleMachine(
                new ByteArrayInputStream(pickle), "test.pkl", (module, name) -> "a string", id -> id).next());
        assertTrue(notCallable.getMessage().contains("REDUCE applies a str, which is not callable"),
                notCallable.getMessage());
    }

    @Test
    void listsAndDictsAreNotDictKeys() {
        // } ] ] s : {[]: []}, whose key Python itself rejects and which could contain itself
        IOException error = assertThrows(IOException.class, () -> read(new byte[] {'}', ']', ']', 's', '.'}));
        assertTrue(error.getMessage().contains("a dict key is a list"), error.getMessage());
    }

    @Test
    void stackUnderflowAndUnbalancedMarksAreCorrupt() {
        assertTrue(assertThrows(IOException.class, () -> read(new byte[] {'.'})).getMessage()
                .contains("test.pkl has a corrupt pickle at byte 1: the stack is empty"));
        assertTrue(assertThrows(IOException.class, () -> read(new byte[] {'N', 't', '.'})).getMessage()
                .contains("closes a MARK that was never set"));
        assertTrue(assertThrows(IOException.class, () -> read(new byte[] {'(', 'N', (byte) 0x86, '.'})).getMessage()
                .contains("fewer than 2 values"));
    }

    private static Object read(byte[] pickle) throws IOException {
        return new PickleMachine(new ByteArrayInputStream(pickle), "test.pkl", (module, name) -> {
            throw new IOException("no globals here");
        }, id -> id).next();
    }
}
