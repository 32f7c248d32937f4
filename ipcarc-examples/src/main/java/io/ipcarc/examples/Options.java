package io.ipcarc.examples;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A small command-line parser: {@code --flag}, {@code --key value} and positional arguments. */
final class Options {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /** Thrown for bad usage; the message is shown to the user. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    Options(String[] args, Set<String> withValue, Set<String> flags) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (withValue.contains(a)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + a + " needs a value");
                }
                values.put(a, args[++i]);
            } else if (flags.contains(a)) {
                values.put(a, "true");
            } else if (a.startsWith("--")) {
                throw new UsageException("unknown option: " + a);
            } else {
                positional.add(a);
            }
        }
    }

    String get(String key, String dflt) {
        return values.getOrDefault(key, dflt);
    }

    boolean flag(String key) {
        return values.containsKey(key);
    }

    long getLong(String key, long dflt) {
        String v = values.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new UsageException("option " + key + " needs a number: " + v);
        }
    }

    List<String> positional() {
        return positional;
    }
}
