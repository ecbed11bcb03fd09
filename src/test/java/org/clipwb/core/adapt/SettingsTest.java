package org.clipwb.core.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final List<Setting> SPECS = List.of(
            Setting.integer("phase1.epochs", "phase 1", 10, 1, 100, "epochs"),
            Setting.decimal("train.lr", "training", 0.002, 0, 10, "learning rate"),
            Setting.decimal("train.weight-decay", "training", 5e-4, 0, 1, "weight decay"),
            Setting.flag("llu.renormalise", "llu", true, "renormalise"),
            Setting.choice("labels.selection", "labels", "top-k", List.of("top-k", "threshold", "all"), "rule"));

    private static Settings defaults() {
        return Settings.defaults(SPECS);
    }

    private static String rejection(Setting setting, String raw) {
        return assertThrows(IllegalArgumentException.class, () -> setting.parse(raw)).getMessage();
    }

    @Test
    void integersParseWithinTheirRange() {
        Setting epochs = SPECS.get(0);
        assertEquals(1, epochs.parse("1"));
        assertEquals(100, epochs.parse(" 100 "));
        assertEquals("setting phase1.epochs is '0', but it must be a value ≥ 1, ≤ 100", rejection(epochs, "0"));
        assertTrue(rejection(epochs, "101").contains("≤ 100"));
        assertEquals("setting phase1.epochs is '2.5', but it must be a whole number", rejection(epochs, "2.5"));
        assertTrue(rejection(epochs, "").contains("a whole number"));
        assertTrue(rejection(epochs, null).contains("a whole number"));
        assertEquals("≥ 1, ≤ 100", epochs.allowedValues());
    }

    @Test
    void decimalsParseWithinTheirRangeAndMustBeFinite() {
        Setting lr = SPECS.get(1);
        assertEquals(0.0, lr.parse("0"));
        assertEquals(1e-4, lr.parse("1e-4"));
        assertEquals(10.0, lr.parse("10"));
        assertTrue(rejection(lr, "10.5").contains("a value ≥ 0, ≤ 10"));
        assertTrue(rejection(lr, "-1e-9").contains("≥ 0"));
        assertTrue(rejection(lr, "NaN").contains("a finite number"));
        assertTrue(rejection(lr, "Infinity").contains("a finite number"));
        assertTrue(rejection(lr, "fast").contains("'fast', but it must be a number"));
        Setting unbounded = Setting.decimal("x", "g", 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, "");
        assertEquals(-1e300, unbounded.parse("-1e300"));
        assertEquals("", unbounded.allowedValues());
        assertEquals("≥ 0.5", Setting.decimal("y", "g", 1, 0.5, Double.POSITIVE_INFINITY, "").allowedValues());
        assertEquals("≤ 3", Setting.decimal("z", "g", 1, Double.NEGATIVE_INFINITY, 3, "").allowedValues());
    }

    @Test
    void flagsTakeTrueOrFalseInAnyCase() {
        Setting flag = SPECS.get(3);
        assertEquals(true, flag.parse("TRUE"));
        assertEquals(false, flag.parse(" false"));
        assertTrue(rejection(flag, "yes").contains("true or false"));
        assertTrue(rejection(flag, "1").contains("true or false"));
        assertEquals("true|false", flag.allowedValues());
    }

    @Test
    void choicesTakeOneOfTheirWordsExactly() {
        Setting choice = SPECS.get(4);
        assertEquals("threshold", choice.parse("threshold"));
        assertEquals("setting labels.selection is 'median', but it must be one of top-k, threshold, all",
                rejection(choice, "median"));
        assertTrue(rejection(choice, "TOP-K").contains("one of"));
        assertEquals("top-k|threshold|all", choice.allowedValues());
    }

    @Test
    void defaultsAreValidatedWhenASettingIsDeclared() {
        IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                () -> Setting.integer("k", "g", 0, 1, 10, ""));
        assertTrue(outOfRange.getMessage().contains("setting k is '0'"), outOfRange.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Setting.decimal("d", "g", 2, 0, 1, ""));
        assertThrows(IllegalArgumentException.class, () -> Setting.choice("c", "g", "b", List.of("a"), ""));
        IllegalArgumentException noChoices = assertThrows(IllegalArgumentException.class,
                () -> Setting.choice("c", "g", "a", List.of(), ""));
        assertEquals("choice setting c has no choices", noChoices.getMessage());
    }

    @Test
    void aChoiceWithoutADefaultDefaultsToItsFirstWord() {
        Setting choice = Setting.choice("c", "g", null, List.of("first", "second"), "");
        assertEquals("first", choice.defaultValue());
        assertEquals("first", Settings.defaults(List.of(choice)).choice("c"));
    }

    @Test
    void aKeyDeclaredTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.defaults(List.of(
                SPECS.get(0), Setting.integer("phase1.epochs", "other", 3, 1, 5, ""))));
        assertEquals("setting phase1.epochs is declared twice", e.getMessage());
    }

    @Test
    void defaultsAreTheDeclaredValuesOfEachKind() {
        Settings settings = defaults();
        assertEquals(10, settings.integer("phase1.epochs"));
        assertEquals(0.002, settings.decimal("train.lr"));
        assertTrue(settings.flag("llu.renormalise"));
        assertEquals("top-k", settings.choice("labels.selection"));
        assertEquals(SPECS, settings.specs());
        assertEquals(Map.of(), settings.changed());
        IllegalStateException wrongKind = assertThrows(IllegalStateException.class,
                () -> settings.decimal("phase1.epochs"));
        assertEquals("setting phase1.epochs is a INTEGER, not a DECIMAL", wrongKind.getMessage());
    }

    @Test
    void assignmentsApplyInOrderAndLeaveTheOriginalUntouched() {
        Settings original = defaults();
        Settings changed = original.withAssignments(List.of("phase1.epochs=5", " train.lr =1e-3",
                "phase1.epochs=7", "labels.selection=all"));
        assertEquals(7, changed.integer("phase1.epochs"), "the last assignment of a key wins");
        assertEquals(1e-3, changed.decimal("train.lr"));
        assertEquals("all", changed.choice("labels.selection"));
        assertEquals(10, original.integer("phase1.epochs"));
        assertEquals(Map.of("phase1.epochs", "7", "train.lr", "0.001", "labels.selection", "all"), changed.changed());
        assertNotEquals(original, changed);
    }

    @Test
    void aMalformedAssignmentIsRefusedWithAnExample() {
        for (String bad : List.of("phase1.epochs", "=5", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> defaults().withAssignments(List.of(bad)));
            assertEquals("'" + bad + "' is not key=value (for example phase1.epochs=5)", e.getMessage());
        }
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> defaults().withAssignments(List.of("phase1.epochs=")));
        assertTrue(empty.getMessage().contains("must be a whole number"), empty.getMessage());
    }

    @Test
    void anUnknownKeyNamesTheClosestKnownOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> defaults().withAssignments(List.of("phase1.epoch=5")));
        assertEquals("unknown setting 'phase1.epoch' (did you mean phase1.epochs?); known: phase1.epochs, train.lr, "
                + "train.weight-decay, llu.renormalise, labels.selection", e.getMessage());
        String typo = assertThrows(IllegalArgumentException.class,
                () -> defaults().with(Map.of("train.weight_decay", "0"))).getMessage();
        assertTrue(typo.contains("(did you mean train.weight-decay?)"), typo);
        String lookup = assertThrows(IllegalArgumentException.class, () -> defaults().flag("llu.renormalize"))
                .getMessage();
        assertTrue(lookup.contains("(did you mean llu.renormalise?)"), lookup);
        String none = assertThrows(IllegalArgumentException.class,
                () -> Settings.defaults(List.of()).withAssignments(List.of("a=1"))).getMessage();
        assertEquals("unknown setting 'a'; known: ", none);
    }

    @Test
    void anInvalidValueLeavesNoPartialResult() {
        Settings original = defaults();
        assertThrows(IllegalArgumentException.class,
                () -> original.withAssignments(List.of("phase1.epochs=5", "train.lr=-1")));
        assertEquals(defaults(), original);
    }

    @Test
    void asTextReadsBackThroughWith() {
        Settings changed = defaults().withAssignments(List.of("train.weight-decay=0.00001", "llu.renormalise=FALSE",
                "train.lr=2e-3"));
        Map<String, String> text = changed.asText();
        assertEquals(List.of("phase1.epochs", "train.lr", "train.weight-decay", "llu.renormalise", "labels.selection"),
                List.copyOf(text.keySet()), "declaration order");
        assertEquals("false", text.get("llu.renormalise"));
        assertEquals(changed, defaults().with(text));
        assertEquals(changed, defaults().with(changed.changed()));
        assertEquals(changed.hashCode(), defaults().with(text).hashCode());
        // Assigning a default's value in another spelling is no change.
        assertEquals(Map.of(), defaults().with(Map.of("train.lr", "0.0020", "llu.renormalise", "True")).changed());
        assertFalse(changed.changed().containsKey("train.lr"));
        Map<String, String> ordered = new LinkedHashMap<>(changed.changed());
        assertEquals(List.of("train.weight-decay", "llu.renormalise"), List.copyOf(ordered.keySet()));
    }
}
