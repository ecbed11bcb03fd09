package org.clipwb.core.model;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Python pickles into plain Java values and never runs anything. Python's own unpickler imports and calls
 * whatever a pickle names, which is how a malicious checkpoint runs commands; here each global goes to
 * {@link Globals}, which answers only for an allowlist, and REDUCE applies only the {@link PythonCallable}s it gave.
 *
 * <p>Values: str as String, int as Long (BigInteger beyond 64 bits), float as Double, bool as Boolean, None as null,
 * list and tuple as List (tuples unmodifiable), dict as LinkedHashMap. The opcodes are those of protocols 2 to 4
 * that {@code torch.save} and {@code pickle.dump} use for containers, numbers and strings; any other is an error.
 */
final class PickleMachine {
    /** A checkpoint's pickle is a few MB at most (one entry per tensor); anything far larger is corrupt. */
    static final long MAX_PICKLE_BYTES = 64L << 20;
    /** GLOBAL's module and name lines; real ones are a few dozen characters. */
    private static final int MAX_LINE_BYTES = 256;

    /** Resolves a pickle's globals; throws to refuse one. */
    @FunctionalInterface
    interface Globals {
        Object resolve(String module, String name) throws IOException;
    }

    /**
     * The objects behind a pickle's persistent ids (BINPERSID), which refer to data stored outside the pickle; throws
     * {@link IllegalArgumentException} for an id it does not take, which the machine reports as a corrupt pickle.
     */
    @FunctionalInterface
    interface PersistentIds {
        Object load(Object id);
    }

    /**
     * A Python callable that {@link Globals} allows, applied by REDUCE to its argument tuple; throws
     * {@link IllegalArgumentException} for arguments it does not take, which the machine reports as a corrupt pickle.
     */
    @FunctionalInterface
    interface PythonCallable {
        Object call(List<Object> arguments);
    }

    private static final int PROTO = 0x80;
    private static final int FRAME = 0x95;
    private static final int STOP = '.';
    private static final int MARK = '(';
    private static final int POP = '0';
    private static final int POP_MARK = '1';
    private static final int NONE = 'N';
    private static final int NEWTRUE = 0x88;
    private static final int NEWFALSE = 0x89;
    private static final int BININT = 'J';
    private static final int BININT1 = 'K';
    private static final int BININT2 = 'M';
    private static final int LONG1 = 0x8a;
    private static final int BINFLOAT = 'G';
    private static final int BINUNICODE = 'X';
    private static final int SHORT_BINUNICODE = 0x8c;
    private static final int EMPTY_TUPLE = ')';
    private static final int TUPLE = 't';
    private static final int TUPLE1 = 0x85;
    private static final int TUPLE2 = 0x86;
    private static final int TUPLE3 = 0x87;
    private static final int EMPTY_LIST = ']';
    private static final int APPEND = 'a';
    private static final int APPENDS = 'e';
    private static final int EMPTY_DICT = '}';
    private static final int SETITEM = 's';
    private static final int SETITEMS = 'u';
    private static final int BINPUT = 'q';
    private static final int LONG_BINPUT = 'r';
    private static final int MEMOIZE = 0x94;
    private static final int BINGET = 'h';
    private static final int LONG_BINGET = 'j';
    private static final int GLOBAL = 'c';
    private static final int STACK_GLOBAL = 0x93;
    private static final int REDUCE = 'R';
    private static final int BUILD = 'b';
    private static final int BINPERSID = 'Q';

    private final InputStream in;
    private final String source;
    private final Globals globals;
    private final PersistentIds persistentIds;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long position;
    private long pickleStart;

    /**
     * A machine reading pickles one after another from {@code in}.
     *
     * @param source names the file in error messages
     */
    PickleMachine(InputStream in, String source, Globals globals, PersistentIds persistentIds) {
        this.in = in;
        this.source = source;
        this.globals = globals;
        this.persistentIds = persistentIds;
    }

    /** Bytes read from the stream so far: after {@link #next}, where the next pickle or data starts. */
    long position() {
        return position;
    }

    /** Reads the next pickle, up to and including its STOP, and returns its value. */
    Object next() throws IOException {
        stack.clear();
        marks.clear();
        memo.clear();
        pickleStart = position;
        while (true) {
            int opcode = readByte();
            switch (opcode) {
                case PROTO -> {
                    int protocol = readByte();
                    if (protocol > 5) {
                        throw corrupt("pickle protocol " + protocol + " is unknown");
                    }
                }
                case FRAME -> readLong(); // only a hint for buffered readers
                case STOP -> {
                    return pop();
                }
                case MARK -> marks.add(stack.size());
                case POP -> pop();
                case POP_MARK -> popMark();
                case NONE -> push(null);
                case NEWTRUE -> push(Boolean.TRUE);
                case NEWFALSE -> push(Boolean.FALSE);
                case BININT -> push((long) readInt());
                case BININT1 -> push((long) readByte());
                case BININT2 -> push((long) (readByte() | readByte() << 8));
                case LONG1 -> push(littleEndianInteger(readBytes(readByte())));
                case BINFLOAT -> push(Double.longBitsToDouble(Long.reverseBytes(readLong()))); // big-endian
                case BINUNICODE -> push(readString(readUnsignedInt()));
                case SHORT_BINUNICODE -> push(readString(readByte()));
                case EMPTY_TUPLE -> push(List.of());
                case TUPLE -> push(tuple(popMark()));
                case TUPLE1, TUPLE2, TUPLE3 -> push(tuple(popTop(opcode - TUPLE1 + 1)));
                case EMPTY_LIST -> push(new ArrayList<>());
                case APPEND -> {
                    Object item = pop();
                    list(peek()).add(item);
                }
                case APPENDS -> {
                    List<Object> items = popMark();
                    list(peek()).addAll(items);
                }
                case EMPTY_DICT -> push(new LinkedHashMap<>());
                case SETITEM -> {
                    List<Object> pair = popTop(2);
                    putPairs(dict(peek()), pair);
                }
                case SETITEMS -> {
                    List<Object> pairs = popMark();
                    putPairs(dict(peek()), pairs);
                }
                case BINPUT -> memo.put((long) readByte(), peek());
                case LONG_BINPUT -> memo.put(readUnsignedInt(), peek());
                case MEMOIZE -> memo.put((long) memo.size(), peek());
                case BINGET -> push(memoized(readByte()));
                case LONG_BINGET -> push(memoized(readUnsignedInt()));
                case GLOBAL -> {
                    String module = readLine();
                    push(globals.resolve(module, readLine()));
                }
                case STACK_GLOBAL -> {
                    List<Object> names = popTop(2);
                    push(globals.resolve(string(names.get(0)), string(names.get(1))));
                }
                case REDUCE -> {
                    List<Object> callAndArguments = popTop(2);
                    push(reduce(callAndArguments.get(0), callAndArguments.get(1)));
                }
                case BUILD -> pop(); // the state an object sets on itself (a state dict's _metadata) is not needed
                case BINPERSID -> push(persistentId(pop()));
                default -> throw corrupt(String.format("unsupported pickle opcode 0x%02x", opcode));
            }
        }
    }

    private Object reduce(Object callable, Object arguments) throws IOException {
        if (!(callable instanceof PythonCallable function)) {
            throw corrupt("REDUCE applies a " + typeName(callable) + ", which is not callable");
        }
        if (!(arguments instanceof List<?> tuple)) {
            throw corrupt("REDUCE's arguments are a " + typeName(arguments) + ", not a tuple");
        }
        try {
            return function.call(Collections.unmodifiableList(tuple));
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage());
        }
    }

    private Object persistentId(Object id) throws IOException {
        try {
            return persistentIds.load(id);
        } catch (IllegalArgumentException e) {
            throw corrupt(e.getMessage());
        }
    }

    private void putPairs(Map<Object, Object> dict, List<Object> keysAndValues) throws IOException {
        if (keysAndValues.size() % 2 != 0) {
            throw corrupt("a dict update has a key without a value");
        }
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            Object key = keysAndValues.get(i);
            // Only immutable keys: a list or dict key could contain itself, and hashing it would never end.
            if (!(key == null || key instanceof String || key instanceof Long || key instanceof BigInteger
                    || key instanceof Double || key instanceof Boolean)) {
                throw corrupt("a dict key is a " + typeName(key));
            }
            dict.put(key, keysAndValues.get(i + 1));
        }
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(items);
    }

    private Object memoized(long index) throws IOException {
        if (!memo.containsKey(index)) {
            throw corrupt("it refers to memo entry " + index + ", which was never stored");
        }
        return memo.get(index);
    }

    private void push(Object value) {
        stack.add(value);
    }

    private Object peek() throws IOException {
        if (stack.size() <= currentMark()) {
            throw corrupt("the stack is empty where a value is needed");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() throws IOException {
        peek();
        return stack.remove(stack.size() - 1);
    }

    /** The top {@code count} values, removed from the stack, deepest first. */
    private List<Object> popTop(int count) throws IOException {
        if (stack.size() - count < currentMark()) {
            throw corrupt("the stack holds fewer than " + count + " values where they are needed");
        }
        return removeFrom(stack.size() - count);
    }

    /** The values above the last MARK, removed with it, deepest first. */
    private List<Object> popMark() throws IOException {
        if (marks.isEmpty()) {
            throw corrupt("it closes a MARK that was never set");
        }
        return removeFrom(marks.remove(marks.size() - 1));
    }

    private List<Object> removeFrom(int start) {
        List<Object> top = stack.subList(start, stack.size());
        List<Object> values = new ArrayList<>(top);
        top.clear();
        return values;
    }

    private int currentMark() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value) throws IOException {
        if (value instanceof ArrayList<?> list) {
            return (List<Object>) list;
        }
        throw corrupt("it appends to a " + typeName(value) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object value) throws IOException {
        if (value instanceof LinkedHashMap<?, ?> dict) {
            return (Map<Object, Object>) dict;
        }
        throw corrupt("it sets an item of a " + typeName(value) + ", not a dict");
    }

    private String string(Object value) throws IOException {
        if (value instanceof String text) {
            return text;
        }
        throw corrupt("a global's name is a " + typeName(value) + ", not a string");
    }

    /** Python's name of a value's type, for error messages (never the value: it may contain itself). */
    static String typeName(Object value) {
        if (value == null) {
            return "None";
        } else if (value instanceof String) {
            return "str";
        } else if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof List<?>) {
            return value instanceof ArrayList<?> ? "list" : "tuple";
        } else if (value instanceof Map<?, ?>) {
            return "dict";
        }
        return value.getClass().getSimpleName();
    }

    private static Object littleEndianInteger(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        BigInteger value = bigEndian.length == 0 ? BigInteger.ZERO : new BigInteger(bigEndian);
        return value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
    }

    private int readByte() throws IOException {
        if (position - pickleStart >= MAX_PICKLE_BYTES) {
            throw corrupt("the pickle goes on beyond " + MAX_PICKLE_BYTES + " bytes");
        }
        int value = in.read();
        if (value < 0) {
            throw new EOFException(source + " ended early at byte " + position
                    + ", inside a pickle (truncated or corrupt; get the file again)");
        }
        position++;
        return value;
    }

    private int readInt() throws IOException {
        return readByte() | readByte() << 8 | readByte() << 16 | readByte() << 24;
    }

    private long readUnsignedInt() throws IOException {
        return readInt() & 0xFFFFFFFFL;
    }

    private long readLong() throws IOException {
        return readUnsignedInt() | readUnsignedInt() << 32;
    }

    private byte[] readBytes(long length) throws IOException {
        // Checked before reading, so that a hostile length never allocates more than a pickle may hold.
        if (length < 0 || length > MAX_PICKLE_BYTES - (position - pickleStart)) {
            throw corrupt("a string of " + length + " bytes does not fit in a pickle");
        }
        byte[] bytes = in.readNBytes((int) length);
        position += bytes.length;
        if (bytes.length < length) {
            throw new EOFException(source + " ended early at byte " + position
                    + ", inside a pickle (truncated or corrupt; get the file again)");
        }
        return bytes;
    }

    private String readString(long length) throws IOException {
        return new String(readBytes(length), StandardCharsets.UTF_8);
    }

    private String readLine() throws IOException {
        byte[] line = new byte[MAX_LINE_BYTES];
        for (int length = 0; length < line.length; length++) {
            int b = readByte();
            if (b == '\n') {
                return new String(Arrays.copyOf(line, length), StandardCharsets.UTF_8);
            }
            line[length] = (byte) b;
        }
        throw corrupt("a global's name is longer than " + MAX_LINE_BYTES + " bytes");
    }

    private IOException corrupt(String what) {
        return new IOException(source + " has a corrupt pickle at byte " + position + ": " + what);
    }
}
