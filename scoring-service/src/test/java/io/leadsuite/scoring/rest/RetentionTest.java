package io.leadsuite.scoring.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.kit.retention.Retention;
import io.leadsuite.kit.retention.RetentionRule;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The retention job (the kit's rules and scoring's): before it, applied message ids, idempotent answers, interactions
 * of erased contacts and interactions that never found their contact stayed for good.
 */
@QuarkusTest
class RetentionTest {

    @Inject
    Retention retention;

    @Inject
    AgroalDataSource db;

    @Test
    void rowsPastTheirRetentionAreDeletedAndTheOthersStay() throws Exception {
        UUID oldMessage = UUID.randomUUID();
        UUID newMessage = UUID.randomUUID();
        execute("insert into processed_message (message_id, type, processed_at) values (?, 'x', now() - interval '15 days')",
                oldMessage);
        execute("insert into processed_message (message_id, type) values (?, 'x')", newMessage);
        String oldKey = "old-" + UUID.randomUUID();
        String newKey = "new-" + UUID.randomUUID();
        execute("insert into idempotent_request (operation, key, request_hash, status, body, created_at) "
                + "values ('test', ?, 'h', 201, '{}', now() - interval '3 days')", oldKey);
        execute("insert into idempotent_request (operation, key, request_hash, status, body, created_at) "
                + "values ('test', ?, 'h', 201, '{}', now() - interval '1 hour')", newKey);

        // an interaction that raced its contact's erasure
        UUID erased = UUID.randomUUID();
        execute("insert into contact_ref (contact_id, email, attributes, created_at, erased_at) "
                + "values (?, null, '{}', now(), now())", erased);
        String ofErased = "of-erased-" + erased;
        execute("insert into interaction (id, type, contact_id, occurred_at) values (?, 'EMAIL_OPENED', ?, now())",
                ofErased, erased);
        // interactions naming only an e-mail no contact has: an old one, a recent one, an old one that was applied
        String oldUnmatched = "old-unmatched-" + UUID.randomUUID();
        String newUnmatched = "new-unmatched-" + UUID.randomUUID();
        String oldApplied = "old-applied-" + UUID.randomUUID();
        String nobody = "nobody." + UUID.randomUUID() + "@example.com";
        for (String id : new String[] { oldUnmatched, oldApplied }) {
            execute("insert into interaction (id, type, email, occurred_at, received_at) "
                    + "values (?, 'PAGE_VISITED', ?, now(), now() - interval '31 days')", id, nobody);
        }
        execute("insert into interaction (id, type, email, occurred_at) values (?, 'PAGE_VISITED', ?, now())",
                newUnmatched, nobody);
        UUID lead = UUID.randomUUID();
        execute("insert into tracked_lead (lead_id, contact_id, open, created_at, updated_at) "
                + "values (?, ?, true, now(), now())", lead, UUID.randomUUID());
        execute("insert into interaction_application (interaction_id, lead_id) values (?, ?)", oldApplied, lead);

        retention.untilDone().await().indefinitely();

        assertEquals(0, count("select count(*) from processed_message where message_id = ?", oldMessage));
        assertEquals(1, count("select count(*) from processed_message where message_id = ?", newMessage));
        assertEquals(0, count("select count(*) from idempotent_request where key = ?", oldKey));
        assertEquals(1, count("select count(*) from idempotent_request where key = ?", newKey));
        assertEquals(0, count("select count(*) from interaction where id = ?", ofErased));
        assertEquals(0, count("select count(*) from interaction where id = ?", oldUnmatched));
        assertEquals(1, count("select count(*) from interaction where id = ?", newUnmatched));
        assertEquals(1, count("select count(*) from interaction where id = ?", oldApplied));
    }

    /**
     * Each rule's delete takes its batch's keys once and deletes by them (RetentionRule), in the generic plan a prepared
     * statement caches too: {@code key in (select ...)} joined the batch to a scan of the whole table on every batch.
     */
    @Test
    void everyDeleteTakesItsBatchOnceInsteadOfJoiningItToTheTable() throws Exception {
        for (RetentionRule rule : retention.rules()) {
            if (rule.name().equals("idempotent answers")) {
                continue; // a two-column key: Retention says why it keeps "in (select ...)"
            }
            List<String> plan = genericPlan(rule.deleteBatch());
            assertTrue(plan.stream().anyMatch(line -> line.contains("Delete on "))
                    && plan.stream().noneMatch(line -> line.contains("Semi Join") || line.contains("ANY_subquery")),
                    rule.name() + ": " + String.join("\n", plan));
        }
    }

    private List<String> genericPlan(String statement) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("set plan_cache_mode = force_generic_plan");
            s.execute("prepare retention_batch(int) as " + statement);
            try (ResultSet r = s.executeQuery("explain execute retention_batch(1000)")) {
                List<String> lines = new ArrayList<>();
                while (r.next()) {
                    lines.add(r.getString(1));
                }
                return lines;
            } finally {
                s.execute("deallocate retention_batch");
                s.execute("reset plan_cache_mode");
            }
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    private long count(String sql, Object parameter) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, parameter);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
