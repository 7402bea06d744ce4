/**
 * The use cases of lead-service: captures, lead changes and reads, flows, the effects of events, and the features in
 * sub-packages ({@code campaign}, {@code imports}, {@code nurture}, {@code routing}, {@code sla}, {@code topic},
 * {@code webhook}).
 * <p>
 * Dependencies: rest -> service -> repository -> domain, and event -> service; a service may use client
 * (contact-service) and config. Nothing here imports rest or event ({@code LayersTest} checks it).
 * <p>
 * Transactions, one style: a use case opens its one transaction where it starts, with
 * {@code Panache.withTransaction(...)}, and a read opens a session with {@code @WithSession}. What it calls runs in
 * that transaction and opens none of its own (such methods say "in the caller's transaction"). The transactions
 * that do not start in a service method: an event's effects run in the transaction of the consumer's batch (the
 * kit's {@code BatchConsumer}); a capture's is opened by {@code rest.IdempotentCapture}, which stores the
 * Idempotency-Key's answer in it. A lost race on a unique index is told by {@link io.leadsuite.kit.sql.UniqueViolation}.
 * <p>
 * Deliberate exceptions, each named in a comment where it is: the webhook delivery worker records attempts on the
 * Vert.x pool (16 deliveries at once, and a Hibernate Reactive session serves one at a time), and the built-in flows
 * are installed on the pool at start-up (no Vert.x context for a session yet); their statements, too, are in
 * repository ({@code WebhookRepository}, {@code FlowRepository}).
 * <p>
 * A service holds no SQL: its native statements are in the repository of their aggregate (the HQL of Panache's
 * finders aside).
 */
package io.leadsuite.lead.service;
