/**
 * The broker's consumers: {@code score-updates} and {@code contact-events}, each applying a batch of messages in one
 * transaction with the kit's inbox and batch consumer, the effects done by service.
 * <p>
 * Dependencies: event -> service. Nothing imports event ({@code LayersTest} checks it).
 */
package io.leadsuite.lead.event;
