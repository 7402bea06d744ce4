package io.leadsuite.lead.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.lead.service.CaptureService.CaptureResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What lead-service does, counted for an operator: captures (new or known contact, new or touched lead), leads that
 * became sales-ready, webhook delivery attempts by outcome and stage SLA breaches. The event pipeline's own meters
 * (outbox, consumers, inbox) come from the kit's {@link io.leadsuite.kit.metrics.PipelineMetrics}. Exported as
 * {@code leadsuite_captures_total}, {@code leadsuite_leads_sales_ready_total}, {@code leadsuite_webhook_attempts_total}
 * and {@code leadsuite_sla_breaches_total}.
 */
@ApplicationScoped
public class LeadMetrics {

    private final Counter newContactNewLead;
    private final Counter knownContactNewLead;
    private final Counter knownContactTouchedLead;
    private final Counter salesReady;
    private final Counter delivered;
    private final Counter failed;
    private final Counter slaBreaches;

    public LeadMetrics(MeterRegistry registry) {
        newContactNewLead = capture(registry, "new", "new");
        knownContactNewLead = capture(registry, "known", "new");
        knownContactTouchedLead = capture(registry, "known", "touched");
        salesReady = Counter.builder("leadsuite.leads.sales.ready")
                .description("Leads that became sales-ready (counted when the lead.sales-ready event is written)")
                .register(registry);
        delivered = attempts(registry, "delivered");
        failed = attempts(registry, "failed");
        slaBreaches = Counter.builder("leadsuite.sla.breaches")
                .description("Leads that stayed in a stage past its SLA (once per stay)").register(registry);
    }

    private static Counter capture(MeterRegistry registry, String contact, String lead) {
        return Counter.builder("leadsuite.captures")
                .description("Captures recorded (an Idempotency-Key replay is not counted again)")
                .tag("contact", contact).tag("lead", lead).register(registry);
    }

    private static Counter attempts(MeterRegistry registry, String outcome) {
        return Counter.builder("leadsuite.webhook.attempts")
                .description("Webhook delivery attempts: delivered (2xx) or failed (another status, a refused or "
                        + "timed-out connection; tried again later)")
                .tag("outcome", outcome).register(registry);
    }

    /** After the capture's transaction committed. */
    public void captured(CaptureResult result) {
        (result.contactCreated() ? newContactNewLead
                : result.leadCreated() ? knownContactNewLead : knownContactTouchedLead).increment();
    }

    public void becameSalesReady() {
        salesReady.increment();
    }

    public void webhookAttempt(boolean wasDelivered) {
        (wasDelivered ? delivered : failed).increment();
    }

    /** After the scan that flagged them committed. */
    public void slaBreached(int leads) {
        slaBreaches.increment(leads);
    }
}
