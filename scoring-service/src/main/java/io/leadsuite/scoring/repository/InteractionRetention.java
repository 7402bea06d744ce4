package io.leadsuite.scoring.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.leadsuite.kit.retention.Retention;
import io.leadsuite.kit.retention.RetentionRule;
import io.leadsuite.scoring.config.ScoringConfig;
import io.leadsuite.scoring.domain.TrackedLead;

/**
 * scoring's rules for the kit's retention job: interactions of erased contacts (a late one that raced the erasure, by
 * contact or by lead) are deleted with their applications and hits; an interaction that names only an e-mail no
 * contact has and was never applied is deleted after {@link ScoringConfig.Retention#unmatchedInteractions()}.
 * Interactions that were applied stay: re-scoring reads them.
 */
@ApplicationScoped
public class InteractionRetention {

    @Produces
    RetentionRule interactionsOfErasedContacts() {
        return Retention.rule("interactions of erased contacts", deleteWithHits("select i.id from interaction i "
                + "where exists (select 1 from contact_ref c where c.contact_id = i.contact_id and c.erased_at is not null) "
                + "or exists (select 1 from tracked_lead t where t.lead_id = i.lead_id and t.status = '"
                + TrackedLead.ERASED + "')"));
    }

    @Produces
    RetentionRule unmatchedInteractions(ScoringConfig config) {
        return Retention.rule("unmatched interactions", deleteWithHits("select i.id from interaction i "
                + "where i.contact_id is null and i.lead_id is null and i.received_at < now() - "
                + Retention.interval(config.retention().unmatchedInteractions())
                + " and not exists (select 1 from contact_ref c where c.email = i.email) "
                + "and not exists (select 1 from interaction_application a where a.interaction_id = i.id)"));
    }

    /** One statement: a batch of the selected interactions, their rule hits and applications. */
    private static String deleteWithHits(String select) {
        return "with gone as (select array(" + select + " limit $1 for update of i skip locked) as ids), "
                + "hits as (delete from rule_hit where interaction_id = any((select ids from gone)::text[])), "
                + "applied as (delete from interaction_application where interaction_id = any((select ids from gone)::text[])) "
                + "delete from interaction where id = any((select ids from gone)::text[])";
    }
}
