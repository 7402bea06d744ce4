package io.leadsuite.lead.domain;

import java.util.List;
import java.util.Optional;

/**
 * A lifecycle (business process flow): ordered stages, each owned by a team, the allowed transitions with their
 * guards, and the automation that moves a lead without a person. Immutable; a flow is versioned and a lead keeps
 * the version it was created under.
 */
public record Flow(String id, String name, int version, boolean teleprospecting, List<Stage> stages,
        List<Transition> transitions, List<Automation> automation) {

    public static final String TELESALES = "telesales";

    public record Stage(String id, String name, String team, Integer slaHours) {
    }

    public record Transition(String from, String to, List<String> teams, List<String> guards) {
    }

    /** When {@code on} happens to a lead in one of the {@code from} stages, it moves to {@code to}. */
    public record Automation(Trigger on, List<String> from, String to) {
    }

    public enum Trigger {
        /** The lead received a score for the first time: automated marketing qualification begins. */
        SCORED,
        /** The lead became sales-ready by score. */
        SALES_READY
    }

    public Stage firstStage() {
        return stages.get(0);
    }

    public Optional<Stage> stage(String stageId) {
        return stages.stream().filter(s -> s.id().equals(stageId)).findFirst();
    }

    /**
     * Where the flow's automation sends a lead in {@code currentStage} when {@code trigger} happens, if anywhere.
     * Without tele-prospecting, a target owned by telesales is passed over for the next stage after it, so sales-ready
     * leads route straight to sales.
     */
    public Optional<String> automaticTarget(Trigger trigger, String currentStage) {
        return automation.stream()
                .filter(a -> a.on() == trigger && a.from().contains(currentStage))
                .map(a -> skipTelesalesIfOff(a.to()))
                .filter(target -> !target.equals(currentStage))
                .findFirst();
    }

    private String skipTelesalesIfOff(String target) {
        if (teleprospecting) {
            return target;
        }
        int index = indexOf(target);
        while (index >= 0 && index < stages.size() - 1 && TELESALES.equals(stages.get(index).team())) {
            index++;
        }
        return index >= 0 ? stages.get(index).id() : target;
    }

    private int indexOf(String stageId) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).id().equals(stageId)) {
                return i;
            }
        }
        return -1;
    }
}
