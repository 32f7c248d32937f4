package io.ipcarc.testing;

import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * A JFR recording of this JVM, as a test makes one to see the library's events: the named event
 * types are enabled with no threshold (every occurrence is recorded, whatever the type's default),
 * and what the recording delivers is collected for the test to wait on. JFR delivers events in
 * batches, about once a second, so tests wait with {@link #await}.
 *
 * <pre>{@code
 * try (JfrEvents jfr = JfrEvents.record("io.ipcarc.LockWait")) {
 *     // ... make a thread wait for a lock another JVM holds ...
 *     RecordedEvent e = jfr.await("io.ipcarc.LockWait", ev -> name.equals(ev.getString("segment")), Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class JfrEvents implements AutoCloseable {
    private final RecordingStream stream = new RecordingStream();
    private final List<RecordedEvent> events = new CopyOnWriteArrayList<>();

    private JfrEvents(List<String> names) {
        for (String n : names) {
            stream.enable(n).withThreshold(Duration.ZERO);
            stream.onEvent(n, events::add);
        }
        stream.startAsync();
    }

    /**
     * Starts recording the named event types, every occurrence.
     *
     * @param names event names such as {@code io.ipcarc.LockWait}
     * @return the running recording; close it
     */
    public static JfrEvents record(String... names) {
        return new JfrEvents(List.of(names));
    }

    /**
     * Waits until an event of that name matching {@code match} was delivered.
     *
     * @param name the event name
     * @param match what the event must satisfy
     * @param timeout how long to wait
     * @return the first such event
     */
    public RecordedEvent await(String name, Predicate<RecordedEvent> match, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> events.stream().anyMatch(e -> is(e, name) && match.test(e)));
        return events.stream().filter(e -> is(e, name) && match.test(e)).findFirst().orElseThrow();
    }

    /**
     * The events of that name delivered so far.
     *
     * @param name the event name
     * @return them, in the order delivered
     */
    public List<RecordedEvent> named(String name) {
        return events.stream().filter(e -> is(e, name)).toList();
    }

    /**
     * The default value of one of an event type's settings, as JFR's default settings see it.
     *
     * @param type the event class
     * @param setting a setting's name, such as {@code enabled} or {@code threshold}
     * @return its default value, such as {@code true} or {@code 10 ms}, or {@code (no such setting)}
     */
    public static String defaultSetting(Class<? extends Event> type, String setting) {
        return EventType.getEventType(type).getSettingDescriptors().stream().filter(d -> d.getName().equals(setting))
                .map(SettingDescriptor::getDefaultValue).findFirst().orElse("(no such setting)");
    }

    private static boolean is(RecordedEvent e, String name) {
        return e.getEventType().getName().equals(name);
    }

    @Override
    public void close() {
        stream.close();
    }
}
