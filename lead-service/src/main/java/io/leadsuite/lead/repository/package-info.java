/**
 * The SQL that Panache's entity methods do not express: native statements, one repository per aggregate (a
 * {@code *Repository}), and the decoding of their rows ({@link io.leadsuite.lead.repository.RowValues}). A repository
 * runs in the caller's session or transaction and never opens one, but for two on the Vert.x pool (each says why where
 * it is): the webhook delivery worker's statements in {@code WebhookRepository}, each in a transaction of its own, and
 * the built-in flows' install in {@code FlowRepository}. The selects of the hot paths run on the session's connection
 * through the kit's {@code SessionSql} (Hibernate Reactive never reuses a native select's query plan). The reports'
 * grouped queries (funnel, closed loop) are in {@code ReportRepository}, the webhook delivery log's retention rule in
 * {@code DeliveryLogRetention}.
 * <p>
 * Dependencies: repository -> domain, and config for a retention period. Only service calls a repository; a REST
 * resource may show a row type a repository answers ({@code LayersTest} checks that nothing here imports service, rest
 * or event).
 */
package io.leadsuite.lead.repository;
