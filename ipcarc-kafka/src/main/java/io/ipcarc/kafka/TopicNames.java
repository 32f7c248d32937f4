package io.ipcarc.kafka;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Kafka's rule for topic names, checked before anything is read from a ring: 1 to 249
 * characters of {@code [a-zA-Z0-9._-]}, and not {@code .} or {@code ..}. Kafka's own check
 * ({@code org.apache.kafka.common.internals.Topic}) decides; this class only says which part of
 * the rule a name breaks, in one line.
 */
public final class TopicNames {
    /** The rule, as the messages state it. */
    public static final String RULE = "1 to 249 characters of [a-zA-Z0-9._-], not \".\" or \"..\"";
    private static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /**
     * Returns the name if Kafka accepts it as a topic name.
     *
     * @param topic a topic name
     * @return {@code topic}
     * @throws IllegalArgumentException naming the topic (non-printable characters escaped, so the
     *     message is one line), the part of the rule it breaks, and the rule
     */
    public static String requireLegal(String topic) {
        if (topic == null) {
            throw new IllegalArgumentException("topic missing: topic=null, rule=" + RULE);
        }
        if (Topic.isValid(topic)) {
            return topic;
        }
        throw new IllegalArgumentException("illegal Kafka topic name: topic=\"" + printable(topic) + "\", cause=" + broken(topic)
                + ", rule=" + RULE);
    }

    /** Which part of the rule a name Kafka refused breaks. */
    private static String broken(String topic) {
        if (topic.isEmpty()) {
            return "it is empty";
        }
        if (topic.equals(".") || topic.equals("..")) {
            return "it is \"" + topic + "\"";
        }
        if (topic.length() > MAX_LENGTH) {
            return "it has " + topic.length() + " characters";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (!legal(c)) {
                return "it contains '" + printable(String.valueOf(c)) + "' at index " + i;
            }
        }
        try {
            Topic.validate(topic); // a rule of a newer Kafka this class does not know: say Kafka's words
            return "Kafka refuses it";
        } catch (InvalidTopicException e) {
            return printable(e.getMessage());
        }
    }

    private static boolean legal(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
    }

    /** The name with control characters, quotes and backslashes escaped as {@code \\uXXXX}: one line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || Character.isISOControl(c)
                    || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
