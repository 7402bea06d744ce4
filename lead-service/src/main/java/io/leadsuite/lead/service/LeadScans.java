package io.leadsuite.lead.service;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.lead.config.NurtureConfig;
import io.leadsuite.lead.config.SlaConfig;
import io.leadsuite.lead.service.nurture.NurtureService;
import io.leadsuite.lead.service.sla.SlaService;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;

/**
 * The periodic scans over the leads (overdue stage SLAs, nurture inactivity), each started at start-up when its config
 * lets this replica scan. A pass takes one batch; one that took a full batch is followed by the next at once, the
 * others by the next after the interval.
 */
@ApplicationScoped
public class LeadScans {

    void start(@Observes StartupEvent event, Pollers pollers, SlaConfig sla, SlaService slas, NurtureConfig nurture,
            NurtureService nurtures) {
        if (sla.enabled()) {
            start(pollers, "SLA scan", sla.scanInterval(), sla.batchSize(), slas::scan);
        }
        if (nurture.scanEnabled()) {
            start(pollers, "Nurture inactivity scan", nurture.scanInterval(), nurture.batchSize(),
                    nurtures::scanInactive);
        }
    }

    /** @param pass one pass; its item is how many it took */
    private static void start(Pollers pollers, String name, Duration interval, int batchSize,
            Supplier<Uni<Integer>> pass) {
        pollers.start(name, interval, () -> pass.get().map(taken -> taken == batchSize));
    }
}
