package dev.streams.transport.ws.internal;

import io.netty.util.AttributeKey;

/** The wire dialects, for routing and per-dialect metrics. */
public enum Dialect {
    M3O("m3o"),
    GOLIOTH("golioth"),
    NATIVE("native"),
    HTTP("http");

    /** The dialect a channel speaks now: HTTP until it upgrades; its connection gauge follows it. */
    public static final AttributeKey<Dialect> KEY = AttributeKey.valueOf(Dialect.class, "dialect");

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
