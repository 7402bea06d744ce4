/**
 * lead-service's settings: one {@code @ConfigMapping} interface per concern ({@code leadsuite.sla.*},
 * {@code leadsuite.nurture.*}, {@code leadsuite.webhooks.*}, {@code leadsuite.leads.imports.*}).
 * <p>
 * Dependencies: none inside lead-service. The layers that need a setting read it from here.
 */
package io.leadsuite.lead.config;
