package io.leadsuite.lead.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.leadsuite.kit.domain.Violation;

/**
 * Checks that a flow can work before it is stored: every problem is reported at once, each naming the part of the
 * definition at fault. A flow is refused when a stage cannot be reached from the first stage, when a lead could get
 * stuck (no way from some stage to a final stage, one without outgoing transitions), when ids or names repeat, or when
 * it names stages, teams or guards that do not exist.
 */
public final class FlowValidator {

    public static final Pattern FLOW_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");
    public static final Pattern STAGE_ID = Pattern.compile("^[A-Z][A-Z0-9_]{0,62}$");
    /** The statuses a stage may give a lead that enters it. */
    static final Set<LeadStatus> STAGE_STATUSES = Set.of(LeadStatus.ACCEPTED, LeadStatus.CONVERTED, LeadStatus.WON,
            LeadStatus.LOST);

    private FlowValidator() {
    }

    public static List<Violation> validate(Flow flow) {
        List<Violation> errors = new ArrayList<>();
        if (flow.id() == null || !FLOW_ID.matcher(flow.id()).matches()) {
            errors.add(new Violation("id", "must be lower-case letters, digits and dashes (at most 63)"));
        }
        if (flow.name() == null || flow.name().isBlank() || flow.name().length() > 200) {
            errors.add(new Violation("name", "must be given (at most 200 characters)"));
        }
        List<Flow.Stage> stages = flow.stages() == null ? List.of() : flow.stages();
        if (stages.isEmpty()) {
            errors.add(new Violation("stages", "a flow needs at least one stage"));
            return errors;
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < stages.size(); i++) {
            Flow.Stage stage = stages.get(i);
            String at = "stages[" + i + "]";
            if (stage == null) {
                errors.add(new Violation(at, "must not be null"));
                continue;
            }
            if (stage.id() == null || !STAGE_ID.matcher(stage.id()).matches()) {
                errors.add(new Violation(at + ".id", "must be upper-case words joined by underscores, e.g. SALES_ACCEPTED"));
            } else if (!ids.add(stage.id())) {
                errors.add(new Violation(at + ".id", "duplicate stage id " + stage.id()));
            }
            if (stage.name() == null || stage.name().isBlank()) {
                errors.add(new Violation(at + ".name", "must be given"));
            } else if (!names.add(stage.name().strip().toLowerCase(Locale.ROOT))) {
                errors.add(new Violation(at + ".name", "duplicate stage name '" + stage.name() + "'"));
            }
            if (stage.team() == null || !Flow.TEAMS.contains(stage.team())) {
                errors.add(new Violation(at + ".team", "unknown team '" + stage.team() + "'; one of " + sorted(Flow.TEAMS)));
            }
            if (stage.slaHours() != null && (stage.slaHours() < 1 || stage.slaHours() > 24 * 365)) {
                errors.add(new Violation(at + ".slaHours", "must be between 1 and 8760"));
            }
            if (stage.status() != null && !STAGE_STATUSES.contains(stage.status())) {
                errors.add(new Violation(at + ".status", "must be one of " + sorted(STAGE_STATUSES)));
            }
        }
        Map<String, Set<String>> edges = new HashMap<>();
        ids.forEach(id -> edges.put(id, new LinkedHashSet<>()));
        Set<String> outgoing = new HashSet<>();
        List<Flow.Transition> transitions = flow.transitions() == null ? List.of() : flow.transitions();
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < transitions.size(); i++) {
            Flow.Transition t = transitions.get(i);
            String at = "transitions[" + i + "]";
            if (t == null) {
                errors.add(new Violation(at, "must not be null"));
                continue;
            }
            boolean known = true;
            if (t.from() == null || !ids.contains(t.from())) {
                errors.add(new Violation(at + ".from", "unknown stage '" + t.from() + "'"));
                known = false;
            }
            if (t.to() == null || !ids.contains(t.to())) {
                errors.add(new Violation(at + ".to", "unknown stage '" + t.to() + "'"));
                known = false;
            }
            if (known && t.from().equals(t.to())) {
                errors.add(new Violation(at + ".to", "a transition must lead to another stage"));
                known = false;
            }
            if (known && !pairs.add(t.from() + "->" + t.to())) {
                errors.add(new Violation(at, "duplicate transition " + t.from() + " -> " + t.to()));
            }
            if (t.teams() == null || t.teams().isEmpty()) {
                errors.add(new Violation(at + ".teams", "at least one team must be allowed to make it"));
            } else {
                for (String team : t.teams()) {
                    if (!Flow.TEAMS.contains(team)) {
                        errors.add(new Violation(at + ".teams", "unknown team '" + team + "'; one of " + sorted(Flow.TEAMS)));
                    }
                }
            }
            for (String guard : t.guardList()) {
                if (!Flow.GUARDS.contains(guard)) {
                    errors.add(new Violation(at + ".guards", "unknown guard '" + guard + "'; one of " + sorted(Flow.GUARDS)));
                }
            }
            if (known) {
                edges.get(t.from()).add(t.to());
                outgoing.add(t.from());
            }
        }
        List<Flow.Automation> automation = flow.automation() == null ? List.of() : flow.automation();
        for (int i = 0; i < automation.size(); i++) {
            Flow.Automation a = automation.get(i);
            String at = "automation[" + i + "]";
            if (a == null || a.on() == null) {
                errors.add(new Violation(at + ".on", "must be one of SCORED, SALES_READY"));
                continue;
            }
            if (a.to() == null || !ids.contains(a.to())) {
                errors.add(new Violation(at + ".to", "unknown stage '" + a.to() + "'"));
            }
            if (a.from() == null || a.from().isEmpty()) {
                errors.add(new Violation(at + ".from", "at least one stage"));
            } else {
                for (String from : a.from()) {
                    if (!ids.contains(from)) {
                        errors.add(new Violation(at + ".from", "unknown stage '" + from + "'"));
                    } else if (a.to() != null && ids.contains(a.to()) && !from.equals(a.to())) {
                        edges.get(from).add(a.to());
                    }
                }
            }
        }
        if (flow.nurtureStage() != null && !ids.contains(flow.nurtureStage())) {
            errors.add(new Violation("nurtureStage", "unknown stage '" + flow.nurtureStage() + "'"));
        }
        if (flow.acceptanceStage() != null && !ids.contains(flow.acceptanceStage())) {
            errors.add(new Violation("acceptanceStage", "unknown stage '" + flow.acceptanceStage() + "'"));
        }
        if (flow.closeStage() != null && !ids.contains(flow.closeStage())) {
            errors.add(new Violation("closeStage", "unknown stage '" + flow.closeStage() + "'"));
        }
        if (flow.salesFlow() != null && (!FLOW_ID.matcher(flow.salesFlow()).matches()
                || flow.salesFlow().equals(flow.id()))) {
            errors.add(new Violation("salesFlow", "must be the id of another flow"));
        }
        if (flow.teleprospecting() && stages.stream().noneMatch(s -> s != null && Flow.TELESALES.equals(s.team()))) {
            errors.add(new Violation("teleprospecting", "tele-prospecting is on but no stage is owned by telesales"));
        }
        if (ids.size() != stages.size() || ids.isEmpty()) {
            return errors; // the graph checks below need a sound list of stages
        }
        String first = stages.get(0).id();
        Set<String> reachable = reach(first, edges);
        for (int i = 0; i < stages.size(); i++) {
            if (!reachable.contains(stages.get(i).id())) {
                errors.add(new Violation("stages[" + i + "]", "stage " + stages.get(i).id()
                        + " cannot be reached from the first stage " + first));
            }
        }
        Set<String> terminal = new LinkedHashSet<>(ids);
        terminal.removeAll(outgoing);
        if (terminal.isEmpty()) {
            errors.add(new Violation("transitions", "no way to finish: every stage has outgoing transitions, so no "
                    + "stage is final"));
        } else {
            for (int i = 0; i < stages.size(); i++) {
                Set<String> from = reach(stages.get(i).id(), edges);
                if (from.stream().noneMatch(terminal::contains)) {
                    errors.add(new Violation("stages[" + i + "]", "no way to finish from stage " + stages.get(i).id()
                            + ": no final stage (one of " + terminal + ") can be reached from it"));
                }
            }
        }
        return errors;
    }

    private static Set<String> reach(String start, Map<String, Set<String>> edges) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(start));
        while (!todo.isEmpty()) {
            String next = todo.pop();
            if (seen.add(next)) {
                todo.addAll(edges.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    private static List<String> sorted(Set<?> values) {
        return values.stream().map(String::valueOf).sorted().toList();
    }
}
