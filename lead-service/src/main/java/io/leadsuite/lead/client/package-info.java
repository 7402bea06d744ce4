/**
 * contact-service as lead-service calls it: the REST client and its fault tolerance ({@code ContactDirectory}).
 * <p>
 * Dependencies: none inside lead-service; service calls it ({@code LayersTest} checks that nothing here imports
 * another layer).
 */
package io.leadsuite.lead.client;
