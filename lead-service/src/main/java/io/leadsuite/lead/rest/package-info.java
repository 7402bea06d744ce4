/**
 * The HTTP API of lead-service (CONTRACT.md; the OpenAPI document is built from these resources): resources, their
 * request and view records, {@link io.leadsuite.lead.rest.Page}.
 * <p>
 * Dependencies: rest -> service (and the domain and repository types a service answers with). Nothing imports rest
 * ({@code LayersTest} checks it). A resource opens no transaction of its own; a capture's, which also stores the
 * Idempotency-Key's answer, is {@link io.leadsuite.lead.rest.IdempotentCapture}'s.
 */
package io.leadsuite.lead.rest;
