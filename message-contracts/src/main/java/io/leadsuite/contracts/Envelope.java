package io.leadsuite.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope every message on the broker travels in (see {@code asyncapi.yaml}).
 *
 * @param id unique message id; consumers record it to ignore redeliveries
 * @param type one of {@link EventTypes}, e.g. {@code lead.created}
 * @param version version of the payload schema for that type; consumers refuse versions they do not know
 * @param source the service that produced the message, e.g. {@code lead-service}
 * @param time when the change happened (UTC)
 * @param subject the lead or contact the message is about; per-subject order is given by {@code sequence}
 * @param sequence strictly increasing per subject and producer; a consumer never lets a lower sequence overwrite a
 *        higher one
 * @param data the payload record of the type
 */
public record Envelope<T>(UUID id, String type, int version, String source, Instant time, UUID subject, long sequence,
        T data) {

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
    }

    /** A new envelope with a fresh id, version 1 of the payload. */
    public static <T> Envelope<T> of(String type, String source, Instant time, UUID subject, long sequence, T data) {
        return new Envelope<>(UUID.randomUUID(), type, 1, source, time, subject, sequence, data);
    }
}
