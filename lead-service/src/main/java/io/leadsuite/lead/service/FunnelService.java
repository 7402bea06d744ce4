package io.leadsuite.lead.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.repository.ReportRepository;
import io.leadsuite.lead.repository.ReportRepository.StageMoves;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * Funnel analytics over the stage history of one flow (all its versions): how many leads entered each stage in a
 * period, how many moved from one stage to another, and the median time leads spent in a stage before leaving it
 * (PostgreSQL {@code percentile_cont}). History entries name their flow, so a lead that switched flows (accepted into
 * the sales flow) counts in both: where it went in the flow it left, where it came in the one it entered.
 */
@ApplicationScoped
public class FunnelService {

    @Inject
    FlowCatalog flows;
    @Inject
    ReportRepository reports;

    /**
     * @param entered leads that entered the stage in the period (created in it, moved or reopened into it)
     * @param left leads that moved out of it in the period
     * @param current leads in the stage now (whatever the period)
     * @param medianHoursInStage median hours spent in the stage by the leads that left it in the period, null when
     *        none did
     */
    public record StageFigures(String stage, String name, long entered, long left, long current,
            Double medianHoursInStage) {
    }

    /** @param rate {@code count} over the leads that entered {@code from} in the period; null when none did */
    public record Conversion(String from, String to, long count, Double rate) {
    }

    public record Funnel(String flow, Instant from, Instant to, List<StageFigures> stages,
            List<Conversion> conversions) {
    }

    @WithSession
    public Uni<Funnel> funnel(String flowId, Instant from, Instant to) {
        return flows.latest(flowId).chain(flow -> reports.enteredByStage(flowId, from, to)
                .chain(entered -> reports.movesOutOfStages(flowId, from, to)
                        .chain(moves -> reports.currentByStage(flowId)
                                .map(current -> build(flow, from, to, entered, moves, current)))));
    }

    private static Funnel build(Flow flow, Instant from, Instant to, Map<String, Long> entered,
            List<StageMoves> moves, Map<String, Long> current) {
        Map<String, Long> left = new HashMap<>();
        Map<String, Double> median = new HashMap<>();
        List<Conversion> conversions = new ArrayList<>();
        for (StageMoves m : moves) {
            String fromStage = m.fromStage();
            long count = m.count();
            if (m.toStage() == null) {
                left.put(fromStage, count);
                if (m.medianSecondsInStage() != null) {
                    median.put(fromStage, Rates.hours(m.medianSecondsInStage()));
                }
            } else {
                long base = entered.getOrDefault(fromStage, 0L);
                conversions.add(new Conversion(fromStage, m.toStage(), count, Rates.rate(count, base)));
            }
        }
        List<String> order = flow.stages().stream().map(Flow.Stage::id).toList();
        conversions.sort((a, b) -> {
            int byFrom = Integer.compare(index(order, a.from()), index(order, b.from()));
            return byFrom != 0 ? byFrom : Integer.compare(index(order, a.to()), index(order, b.to()));
        });
        List<StageFigures> stages = flow.stages().stream()
                .map(st -> new StageFigures(st.id(), st.name(), entered.getOrDefault(st.id(), 0L),
                        left.getOrDefault(st.id(), 0L), current.getOrDefault(st.id(), 0L), median.get(st.id())))
                .toList();
        return new Funnel(flow.id(), from, to, stages, conversions);
    }

    private static int index(List<String> order, String stage) {
        int i = order.indexOf(stage);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
