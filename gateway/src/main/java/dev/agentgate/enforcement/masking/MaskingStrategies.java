package dev.agentgate.enforcement.masking;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The masking strategies a policy can name, each made from its parameters by a {@link Factory}. {@link #builtIn}
 * has {@code redact}, {@code null}, {@code hash}, {@code partial} and {@code email}; more are added by name with
 * {@link Builder#register}. Immutable once built.
 */
public final class MaskingStrategies {

    public static final String REDACT = "redact";
    public static final String NULL = "null";
    public static final String HASH = "hash";
    public static final String PARTIAL = "partial";
    public static final String EMAIL = "email";

    /** Makes a strategy from the parameters a policy gave it; refuses parameters it does not know. */
    @FunctionalInterface
    public interface Factory {
        MaskingStrategy create(StrategyParams params);
    }

    private final Map<String, Factory> factories;

    private MaskingStrategies(Map<String, Factory> factories) {
        this.factories = Map.copyOf(factories);
    }

    /** The built-in strategies; {@code hashKey} keys {@code hash} (at least 16 bytes, from the configuration). */
    public static MaskingStrategies builtIn(byte[] hashKey) {
        return builtIns(builder(), hashKey).build();
    }

    /** Adds the built-in strategies to {@code builder}, so custom ones can be registered next to them. */
    public static Builder builtIns(Builder builder, byte[] hashKey) {
        return builtInsWithoutHash(builder).register(HASH, withoutParameters(new HashStrategy(hashKey)));
    }

    /**
     * The built-in strategies except {@code hash}, for a gateway configured without a hash key: whoever uses it
     * must refuse {@code hash} with a reason (see {@link #HASH}) rather than let it read as "unknown".
     */
    public static MaskingStrategies builtInWithoutHash() {
        return builtInsWithoutHash(builder()).build();
    }

    private static Builder builtInsWithoutHash(Builder builder) {
        return builder.register(REDACT, RedactStrategy::from)
                .register(NULL, withoutParameters(new NullStrategy()))
                .register(PARTIAL, PartialStrategy::from)
                .register(EMAIL, withoutParameters(new EmailStrategy()));
    }

    /** A factory for a strategy that takes no parameters: always the same instance. */
    public static Factory withoutParameters(MaskingStrategy strategy) {
        return params -> {
            params.allowOnly();
            return strategy;
        };
    }

    /**
     * {@code strategy} masking SQL NULL as well (as the empty value), so NULL and non-NULL look alike; a strategy
     * that masks everything to NULL or already masks NULL is returned as it is.
     */
    public static MaskingStrategy hidingNull(MaskingStrategy strategy) {
        return strategy.masksToNull() || strategy.masksNull() ? strategy : new NullHidingStrategy(strategy);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The strategy {@code name} with {@code params}; an unknown name or a bad parameter is refused with a reason. */
    public MaskingStrategy create(String name, Map<String, ?> params) {
        Factory factory = factories.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown masking strategy '" + name + "' (known: "
                    + String.join(", ", new TreeMap<>(factories).keySet()) + ")");
        }
        return factory.create(new StrategyParams(name, params));
    }

    public Set<String> names() {
        return factories.keySet();
    }

    public static final class Builder {

        private final Map<String, Factory> factories = new TreeMap<>();

        private Builder() {}

        /** Adds a strategy; a name that is already taken is refused. */
        public Builder register(String name, Factory factory) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a masking strategy needs a name");
            }
            if (factory == null) {
                throw new IllegalArgumentException("masking strategy '" + name + "' needs a factory");
            }
            if (factories.putIfAbsent(name, factory) != null) {
                throw new IllegalArgumentException("masking strategy '" + name + "' is already registered");
            }
            return this;
        }

        public MaskingStrategies build() {
            return new MaskingStrategies(factories);
        }
    }
}
