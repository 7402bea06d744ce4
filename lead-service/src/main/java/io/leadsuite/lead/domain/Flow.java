package io.leadsuite.lead.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A lifecycle (business process flow): ordered stages, each owned by a team, the allowed transitions with their
 * guards, and the automation that moves a lead without a person. Immutable; a flow is versioned and a lead keeps
 * the version it was created under.
 *
 * @param nurtureStage where recycled, rejected and reopened leads go, and leads whose score falls back below the
 *        threshold; the first stage when absent
 * @param returnToNurtureBelowThreshold whether a lead made sales-ready by score and not yet accepted by sales returns
 *        to the nurture stage when its score falls back below the threshold
 * @param acceptanceStage the stage a lead enters when sales (or the CRM) accepts it; when absent, the stage with
 *        status ACCEPTED, if any
 * @param salesFlow the flow an accepted lead switches to (its newest version), keeping its history; when absent the
 *        lead stays in this flow
 * @param closeStage where a lead closed WON or LOST goes when no stage has that status (the sales flow's CLOSE)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Flow(String id, String name, int version, boolean teleprospecting, List<Stage> stages,
        List<Transition> transitions, List<Automation> automation, String nurtureStage,
        boolean returnToNurtureBelowThreshold, String acceptanceStage, String salesFlow, String closeStage) {

    public static final String MARKETING = "marketing";
    public static final String TELESALES = "telesales";
    public static final String SALES = "sales";
    /** The teams that can own a stage and make a transition. */
    public static final Set<String> TEAMS = Set.of(MARKETING, TELESALES, SALES);

    /** Guard: the lead is flagged sales-ready. */
    public static final String GUARD_SALES_READY = "salesReady";
    /** The guards a transition may name: the sales-ready flag, or a field that must be filled. */
    public static final Set<String> GUARDS = Set.of(GUARD_SALES_READY, "qualification.budget",
            "qualification.currency", "qualification.timeframe", "qualification.need", "qualification.decisionMaker",
            "owner");

    public Flow(String id, String name, int version, boolean teleprospecting, List<Stage> stages,
            List<Transition> transitions, List<Automation> automation) {
        this(id, name, version, teleprospecting, stages, transitions, automation, null, false, null, null, null);
    }

    public Flow(String id, String name, int version, boolean teleprospecting, List<Stage> stages,
            List<Transition> transitions, List<Automation> automation, String nurtureStage,
            boolean returnToNurtureBelowThreshold) {
        this(id, name, version, teleprospecting, stages, transitions, automation, nurtureStage,
                returnToNurtureBelowThreshold, null, null, null);
    }

    /**
     * @param status the lead status a lead takes when it enters this stage (ACCEPTED, CONVERTED, WON or LOST), if
     *        any; the CRM's accept, opportunity and close move a lead to the stage of the matching status
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stage(String id, String name, String team, Integer slaHours, LeadStatus status) {
        public Stage(String id, String name, String team, Integer slaHours) {
            this(id, name, team, slaHours, null);
        }
    }

    public record Transition(String from, String to, List<String> teams, List<String> guards) {
        public List<String> guardList() {
            return guards == null ? List.of() : guards;
        }
    }

    /** When {@code on} happens to a lead in one of the {@code from} stages, it moves to {@code to}. */
    public record Automation(Trigger on, List<String> from, String to) {
    }

    public enum Trigger {
        /** The lead received a score for the first time: automated marketing qualification begins. */
        SCORED,
        /** The lead became sales-ready (by score or manually). */
        SALES_READY
    }

    public Stage firstStage() {
        return stages.get(0);
    }

    public Optional<Stage> stage(String stageId) {
        return stages.stream().filter(s -> s.id().equals(stageId)).findFirst();
    }

    /** The stage leads go back to for nurturing. */
    @JsonIgnore
    public String nurtureStageOrFirst() {
        return nurtureStage != null ? nurtureStage : firstStage().id();
    }

    public Optional<Transition> transition(String from, String to) {
        return transitions.stream().filter(t -> t.from().equals(from) && t.to().equals(to)).findFirst();
    }

    /** The stage a lead enters when it takes the given status (e.g. the funnel's CLOSED_WON for WON). */
    public Optional<Stage> stageWithStatus(LeadStatus status) {
        return stages.stream().filter(s -> s.status() == status).findFirst();
    }

    /** The stage a lead enters when sales accepts it: {@code acceptanceStage}, else the stage with status ACCEPTED. */
    @JsonIgnore
    public Optional<Stage> salesAcceptanceStage() {
        return acceptanceStage != null ? stage(acceptanceStage) : stageWithStatus(LeadStatus.ACCEPTED);
    }

    /** The stage a lead closed with this outcome (WON, LOST) enters: the stage of that status, else the close stage. */
    public Optional<Stage> closingStage(LeadStatus outcome) {
        return stageWithStatus(outcome).or(() -> closeStage == null ? Optional.empty() : stage(closeStage));
    }

    /** The position of a stage in the flow's order, -1 when the flow has no such stage. */
    public int position(String stageId) {
        return indexOf(stageId);
    }

    /**
     * Where the flow's automation sends a lead in {@code currentStage} when {@code trigger} happens, if anywhere.
     * Without tele-prospecting, a target owned by telesales is passed over for the next stage after it, so sales-ready
     * leads route straight to sales.
     */
    public Optional<String> automaticTarget(Trigger trigger, String currentStage) {
        if (automation == null) {
            return Optional.empty();
        }
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

    /** This definition as version {@code newVersion} of flow {@code newId}. */
    public Flow as(String newId, int newVersion) {
        return new Flow(newId, name, newVersion, teleprospecting, stages, transitions,
                automation == null ? List.of() : automation, nurtureStage, returnToNurtureBelowThreshold,
                acceptanceStage, salesFlow, closeStage);
    }
}
