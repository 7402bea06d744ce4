package io.leadsuite.lead.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.leadsuite.kit.retention.Retention;
import io.leadsuite.kit.retention.RetentionRule;
import io.leadsuite.lead.config.WebhookConfig;

/**
 * lead-service's rule for the kit's retention job: deliveries that are over (delivered or cancelled) leave the
 * delivery log with their attempts after {@link WebhookConfig#deliveryLogRetention()}.
 */
@ApplicationScoped
public class DeliveryLogRetention {

    @Produces
    RetentionRule finishedDeliveries(WebhookConfig config) {
        return Retention.rule("finished webhook deliveries", "with gone as (select array(select id from webhook_delivery "
                + "where state <> 'PENDING' and created_at < now() - " + Retention.interval(config.deliveryLogRetention())
                + " limit $1 for update skip locked) as ids), "
                + "attempts as (delete from webhook_attempt where delivery_id = any((select ids from gone)::bigint[])) "
                + "delete from webhook_delivery where id = any((select ids from gone)::bigint[])");
    }
}
