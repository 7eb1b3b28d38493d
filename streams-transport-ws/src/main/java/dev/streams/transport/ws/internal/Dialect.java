package dev.streams.transport.ws.internal;

/** The wire dialects, for routing and per-dialect metrics. */
public enum Dialect {
    M3O("m3o"),
    GOLIOTH("golioth"),
    NATIVE("native"),
    HTTP("http");

    private final String label;

    Dialect(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
