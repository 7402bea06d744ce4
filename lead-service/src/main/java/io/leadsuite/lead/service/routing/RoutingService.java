package io.leadsuite.lead.service.routing;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadAssigned;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.RoutingRule;
import io.leadsuite.lead.repository.ContactRepository;
import io.leadsuite.lead.repository.RoutingRuleRepository;
import io.leadsuite.lead.service.Definitions;
import io.leadsuite.lead.service.LeadEvents;
import io.smallrye.mutiny.Uni;

/**
 * Routing rules (admin CRUD) and their application: when a lead enters a stage (lead.created, lead.stage-changed,
 * in the transaction that records it), the first enabled rule by priority that matches assigns the team and, if it
 * lists members, the next owner in turn. The assignment lands in the history (cause SYSTEM, actor routing) and is
 * published as lead.assigned, in the same transaction.
 */
@ApplicationScoped
public class RoutingService extends Definitions<RoutingRule, RoutingService.RuleDefinition> {

    public static final String ACTOR = "routing";
    private static final Pattern WORD = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,99}$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Za-z]{2}$");

    @Inject
    LeadEvents events;
    @Inject
    RoutingRuleRepository repository;
    @Inject
    ContactRepository contacts;

    /** A rule as the API writes it. */
    public record RuleDefinition(String name, Integer priority, Boolean enabled, String flowId, String stage,
            List<String> topics, List<String> grades, List<String> countries, Integer minScore, Integer maxScore,
            String team, List<String> members) implements Definitions.Written {
    }

    public RoutingService() {
        super(RoutingRule.class, RoutingRule::new, "Routing rule", "priority, createdAt, id");
    }

    @Override
    protected void check(RuleDefinition written) {
        validate(written);
    }

    @Override
    protected void apply(RoutingRule rule, RuleDefinition d) {
        rule.priority = d.priority() == null ? 100 : d.priority();
        rule.flowId = blankToNull(d.flowId());
        rule.stage = blankToNull(d.stage());
        rule.topics = RoutingRule.join(d.topics() == null ? null
                : d.topics().stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList());
        rule.grades = RoutingRule.join(d.grades());
        rule.countries = RoutingRule.join(d.countries() == null ? null
                : d.countries().stream().map(c -> c.toUpperCase(Locale.ROOT)).toList());
        rule.minScore = d.minScore();
        rule.maxScore = d.maxScore();
        rule.team = d.team().strip();
        rule.members = RoutingRule.join(d.members());
    }

    public static RuleDefinition validate(RuleDefinition d) {
        List<Violation> errors = violations(d);
        if (d.team() == null || !WORD.matcher(d.team().strip()).matches()) {
            errors.add(new Violation("team", "must name a team (letters, digits, . _ - @ +)"));
        }
        if (d.stage() != null && !d.stage().isBlank() && !STAGE.matcher(d.stage()).matches()) {
            errors.add(new Violation("stage", "must be a stage id (upper-case word, e.g. SALES_ACCEPTANCE)"));
        }
        if (d.minScore() != null && d.maxScore() != null && d.minScore() > d.maxScore()) {
            errors.add(new Violation("minScore", "must not be greater than maxScore"));
        }
        checkEach(d.topics(), WORD, "topics", "must be topics", errors);
        checkEach(d.grades(), WORD, "grades", "must be grade names", errors);
        checkEach(d.countries(), COUNTRY, "countries", "must be ISO 3166 alpha-2 codes", errors);
        checkEach(d.members(), WORD, "members", "must be user names", errors);
        if (d.priority() != null && (d.priority() < 0 || d.priority() > 1_000_000)) {
            errors.add(new Violation("priority", "must be between 0 and 1000000"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidValues("The routing rule is not valid", errors);
        }
        return d;
    }

    private static void checkEach(List<String> values, Pattern pattern, String field, String message,
            List<Violation> errors) {
        if (values == null) {
            return;
        }
        if (values.size() > 100) {
            errors.add(new Violation(field, "at most 100 entries"));
        }
        for (String value : values) {
            if (value == null || !pattern.matcher(value.strip()).matches() || value.contains(",")) {
                errors.add(new Violation(field, message + ": '" + value + "' is not"));
                return;
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /**
     * Routes the lead that entered {@code stage}, if it is still there and open: the first enabled rule by priority
     * that matches. Runs in the transaction that records the stage entry (the lead is managed there).
     */
    public Uni<Void> stageEntered(Lead lead, String stage) {
        if (!lead.status.isOpen() || !stage.equals(lead.stage)) {
            return Uni.createFrom().voidItem();
        }
        return enabled().chain(rules -> {
            if (rules.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            // the contact's country only when a rule asks for one
            Uni<String> country = rules.stream().noneMatch(r -> r.countries != null)
                    ? Uni.createFrom().nullItem()
                    : contacts.country(lead.contactId);
            return country.chain(c -> rules.stream().filter(r -> r.matches(lead, stage, c)).findFirst()
                    .map(rule -> assign(lead, rule, stage)).orElse(Uni.createFrom().voidItem()));
        });
    }

    private Uni<Void> assign(Lead lead, RoutingRule rule, String stage) {
        List<String> members = rule.memberList();
        Uni<String> owner = members.isEmpty() ? Uni.createFrom().nullItem()
                : repository.takeTurn(rule.id).map(turn -> members.get(Math.floorMod(turn, members.size())));
        return owner.chain(chosen -> {
            Instant now = Instant.now();
            lead.team = rule.team;
            if (chosen != null) {
                lead.owner = chosen;
            }
            lead.updatedAt = now;
            LeadHistoryEntry entry = LeadHistoryEntry.of(lead, now, LeadHistoryEntry.Kind.ASSIGNED, stage, stage,
                    Cause.SYSTEM, ACTOR, "Rule '" + rule.name + "': team " + rule.team
                            + (chosen == null ? "" : ", owner " + chosen));
            return events.recorded(lead, entry, EventTypes.LEAD_ASSIGNED, now, new LeadAssigned(lead.id,
                    lead.contactId, stage, lead.team, lead.owner, rule.id, rule.name));
        });
    }
}
