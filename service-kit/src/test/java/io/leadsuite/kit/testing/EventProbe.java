package io.leadsuite.kit.testing;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.vertx.core.json.JsonObject;

/**
 * Listens, in tests, to the events a service publishes: a non-durable subscription of its own on the service's
 * multicast address (configure {@code %test.mp.messaging.incoming.event-probe.*} with {@code capabilities=topic}).
 */
@ApplicationScoped
public class EventProbe {

    /*
     * Not a copy-on-write list: a test that publishes 100,000 events (contact-service's import benchmark) made every
     * add copy the whole list, and the probe fell so far behind that later tests timed out waiting for their events.
     */
    private final Queue<JsonObject> received = new ConcurrentLinkedQueue<>();

    @Incoming("event-probe")
    void receive(JsonObject envelope) {
        received.add(envelope);
    }

    /** Waits up to 10 s for an envelope of the type whose data matches, and returns it. */
    public JsonObject await(String type, Predicate<JsonObject> data) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.stream()
                .filter(e -> type.equals(e.getString("type")) && data.test(e.getJsonObject("data")))
                .findFirst().orElse(null), e -> e != null);
    }

    public List<JsonObject> all(String type, Predicate<JsonObject> data) {
        return received.stream()
                .filter(e -> type.equals(e.getString("type")) && data.test(e.getJsonObject("data")))
                .toList();
    }
}
