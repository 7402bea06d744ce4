package io.leadsuite.lead.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** The SQL of routing rules beyond the entity's own finders. In the caller's transaction. */
@ApplicationScoped
public class RoutingRuleRepository {

    /**
     * The rule's next turn among its members (a counter that only grows): the rule row stays locked until commit, so
     * replicas routing at once take turns, never the same turn.
     */
    public Uni<Integer> takeTurn(UUID ruleId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "update routing_rule set next_member = next_member + 1 where id = ?1 returning next_member - 1",
                Integer.class).setParameter(1, ruleId).setFlushMode(FlushModeType.COMMIT).getSingleResult());
    }
}
