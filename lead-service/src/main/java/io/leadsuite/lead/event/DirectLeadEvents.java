package io.leadsuite.lead.event;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.event.EventCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes a lead event from SQL code that runs outside Hibernate (the schedulers): takes the lead's next event
 * sequence (and bumps its version, so a concurrent Hibernate change of the same lead fails its optimistic check rather
 * than reusing the sequence), then writes the envelope to the outbox, all on the caller's connection and transaction.
 */
@ApplicationScoped
public class DirectLeadEvents {

    private final EventCodec codec;

    public DirectLeadEvents(EventCodec codec) {
        this.codec = codec;
    }

    /**
     * @param payload built from the lead row after the update (columns id, contact_id, topic, stage, team, owner)
     */
    public Uni<Void> publish(SqlConnection connection, UUID leadId, String type, Instant at,
            Function<Row, Object> payload) {
        return connection.preparedQuery("update lead set event_sequence = event_sequence + 1, version = version + 1 "
                + "where id = $1 returning id, contact_id, topic, stage, team, owner, event_sequence")
                .execute(Tuple.of(leadId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row row = rows.iterator().next();
                    Envelope<Object> event = Envelope.of(type, "lead-service", at, leadId,
                            row.getLong("event_sequence"), payload.apply(row));
                    return connection.preparedQuery("insert into outbox_message (message_id, type, subject, sequence, "
                            + "payload) values ($1, $2, $3, $4, cast(cast($5 as text) as jsonb))")
                            .execute(Tuple.of(event.id(), event.type(), leadId, event.sequence(),
                                    codec.encode(event)))
                            .replaceWithVoid();
                });
    }

    /** A history line written from SQL code (cause SYSTEM). */
    public static Uni<Void> history(SqlConnection connection, UUID leadId, Instant at, String kind, String stage,
            String actor, String reason) {
        return connection.preparedQuery("insert into lead_history (lead_id, at, kind, from_stage, to_stage, cause, "
                + "actor, reason) values ($1, $2, $3, $4, $4, 'SYSTEM', $5, $6)")
                .execute(Tuple.of(leadId, at.atOffset(java.time.ZoneOffset.UTC), kind, stage, actor, reason))
                .replaceWithVoid();
    }
}
