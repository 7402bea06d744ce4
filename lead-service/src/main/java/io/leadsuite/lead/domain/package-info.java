/**
 * The lead-management domain: the lead and its rules (stages of its flow, scores, sales-readiness, acceptance, its
 * history), flows and their validation, and the entities of routing rules, nurture triggers and webhooks. A rule
 * refuses with the kit's domain exceptions ({@code StateConflict}, {@code InvalidValues}, {@code NotPermitted}),
 * never with an HTTP status.
 * <p>
 * Dependencies: none on another package of lead-service. Everything else depends on the domain, never the other way
 * ({@code LayersTest} checks it).
 */
package io.leadsuite.lead.domain;
