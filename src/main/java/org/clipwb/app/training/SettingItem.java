package org.clipwb.app.training;

import java.util.Optional;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ObjectProperty;
import org.clipwb.core.adapt.Setting;
import org.controlsfx.control.PropertySheet;

/**
 * One method setting as a row of the training view's property sheet: typed (whole number, number, flag or choice),
 * grouped by its phase, described by the engine's one-line description (with its provenance) and its allowed values.
 * A value the setting refuses (out of range) is not taken; {@link #problemProperty} says why.
 */
public final class SettingItem implements PropertySheet.Item {
    private final Setting setting;
    private final ObjectProperty<Object> value = new SimpleObjectProperty<>(this, "value");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem", "");

    SettingItem(Setting setting, String text) {
        this.setting = setting;
        value.set(setting.parse(text));
    }

    /** The engine's setting. */
    public Setting setting() {
        return setting;
    }

    @Override
    public Class<?> getType() {
        return switch (setting.kind()) {
            case INTEGER -> Integer.class;
            case DECIMAL -> Double.class;
            case FLAG -> Boolean.class;
            case CHOICE -> String.class;
        };
    }

    @Override
    public String getCategory() {
        return setting.group();
    }

    @Override
    public String getName() {
        return setting.key();
    }

    /** The description (the editor's tooltip): what it does, where its default comes from, what it accepts. */
    @Override
    public String getDescription() {
        return setting.description() + "\nDefault: " + setting.defaultValue() + " · accepts " + setting.allowedValues();
    }

    @Override
    public Object getValue() {
        return value.get();
    }

    @Override
    public void setValue(Object newValue) {
        if (newValue == null) {
            return;
        }
        try {
            value.set(setting.parse(newValue.toString()));
            problem.set("");
        } catch (IllegalArgumentException e) {
            problem.set(e.getMessage());
        }
    }

    @Override
    public Optional<ObservableValue<? extends Object>> getObservableValue() {
        return Optional.of(value);
    }

    /** The value in the text form the engine records. */
    public String text() {
        return value.get().toString();
    }

    /** Whether the value differs from the default. */
    public boolean isChanged() {
        return !value.get().equals(setting.parse(setting.defaultValue()));
    }

    /** Puts the default back. */
    public void reset() {
        setValue(setting.defaultValue());
    }

    /** Why the last value typed was refused, or empty. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }
}
