package org.clipwb.core.adapt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.clipwb.core.adapt.baseline.ClipAdapter;
import org.clipwb.core.adapt.baseline.SelfTraining;
import org.clipwb.core.adapt.baseline.TipAdapter;
import org.clipwb.core.adapt.baseline.TipAdapterF;
import org.clipwb.core.adapt.baseline.ZeroShot;
import org.clipwb.core.adapt.coft.Coft;
import org.clipwb.core.adapt.flyp.Flyp;
import org.clipwb.core.adapt.latte.LatteClip;
import org.clipwb.core.adapt.llu.Llu;

/** The methods the workbench offers, by id: one registry for the CLI's {@code --method} and the window's list. */
public final class AdaptationMethods {
    private static final Map<String, Supplier<AdaptationMethod>> METHODS = new LinkedHashMap<>();

    static {
        register(Llu::new);
        register(Coft::coft);
        register(Coft::coftPlus);
        register(LatteClip::new);
        register(ZeroShot::new);
        register(SelfTraining::new);
        register(TipAdapter::new);
        register(TipAdapterF::new);
        register(ClipAdapter::new);
        register(Flyp::new);
    }

    private AdaptationMethods() {
    }

    private static void register(Supplier<AdaptationMethod> method) {
        METHODS.put(method.get().info().id(), method);
    }

    /** Every method's id, in the order they are offered. */
    public static List<String> ids() {
        return new ArrayList<>(METHODS.keySet());
    }

    /** Every method's description. */
    public static List<MethodInfo> infos() {
        return METHODS.values().stream().map(method -> method.get().info()).toList();
    }

    /**
     * A new instance of the method with this id.
     *
     * @throws IllegalArgumentException naming the known methods when there is none
     */
    public static AdaptationMethod create(String id) {
        Supplier<AdaptationMethod> method = METHODS.get(id);
        if (method == null) {
            throw new IllegalArgumentException("unknown method '" + id + "' (known: " + String.join(", ", ids()) + ")");
        }
        return method.get();
    }
}
