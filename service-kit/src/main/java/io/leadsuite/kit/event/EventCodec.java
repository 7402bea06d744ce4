package io.leadsuite.kit.event;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.contracts.Envelope;
import io.vertx.core.json.JsonObject;

/**
 * Encodes envelopes for the outbox and decodes the {@link JsonObject} bodies the AMQP connector hands to consumers.
 * Uses the application's {@link ObjectMapper}, so instants are ISO-8601 strings.
 */
@ApplicationScoped
public class EventCodec {

    /** Payload schema versions this code understands. */
    private static final Set<Integer> KNOWN_VERSIONS = Set.of(1);

    @Inject
    ObjectMapper mapper;

    public String encode(Envelope<?> envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Envelope cannot be encoded: " + envelope.type(), e);
        }
    }

    /**
     * Reads an envelope whose payload is of the given record type.
     *
     * @throws UnreadableEventException when the body is not such an envelope or its version is unknown; the message
     *         then fails and, after the broker's bounded redelivery, lands on the dead-letter address
     */
    public <T> Envelope<T> decode(JsonObject body, Class<T> payloadType) {
        try {
            JavaType type = mapper.getTypeFactory().constructParametricType(Envelope.class, payloadType);
            Envelope<T> envelope = mapper.readValue(body.encode(), type);
            if (!KNOWN_VERSIONS.contains(envelope.version())) {
                throw new UnreadableEventException("Unknown version " + envelope.version() + " of " + envelope.type());
            }
            if (envelope.data() == null) {
                throw new UnreadableEventException("Envelope " + envelope.id() + " has no data");
            }
            return envelope;
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new UnreadableEventException("Not a readable envelope: " + e.getMessage());
        }
    }

    /** Only the type of an envelope, to dispatch on before decoding the payload. */
    public String typeOf(JsonObject body) {
        String type = body == null ? null : body.getString("type");
        if (type == null) {
            throw new UnreadableEventException("Message has no envelope type");
        }
        return type;
    }

    public static class UnreadableEventException extends RuntimeException {
        public UnreadableEventException(String message) {
            super(message);
        }
    }
}
