package dev.streams.benchmarks.load;

import java.util.HashMap;
import java.util.Map;

/** A load tool's command line: {@code --name value} pairs, read with a default for each. */
final class Options {
    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    static Options parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            values.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return new Options(values);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int getInt(String name, int fallback) {
        return Integer.parseInt(get(name, String.valueOf(fallback)));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }
}
