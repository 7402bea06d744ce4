package io.leadsuite.lead.event;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.event.EventCodec;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.lead.service.LeadService;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Consumes {@code score-updates} from lead-service's own durable queue. The update and the record of its message id
 * commit together, so a redelivery changes nothing; a failure is released as failed and redelivered by the broker
 * (bounded, then the DLQ).
 */
@ApplicationScoped
public class ScoreUpdateConsumer {

    private static final Logger LOG = Logger.getLogger(ScoreUpdateConsumer.class);

    private final EventCodec codec;
    private final Inbox inbox;
    private final LeadService leads;

    public ScoreUpdateConsumer(EventCodec codec, Inbox inbox, LeadService leads) {
        this.codec = codec;
        this.inbox = inbox;
        this.leads = leads;
    }

    @Incoming("score-updates")
    @WithTransaction
    public Uni<Void> onScoreUpdate(JsonObject message) {
        String type = codec.typeOf(message);
        if (!EventTypes.SCORE_CHANGED.equals(type)) {
            LOG.debugf("Ignoring %s on score-updates", type);
            return Uni.createFrom().voidItem();
        }
        Envelope<ScoreChanged> update = codec.decode(message, ScoreChanged.class);
        return inbox.applyOnce(update, () -> leads.applyScoreUpdate(update));
    }
}
