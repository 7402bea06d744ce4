package io.leadsuite.scoring.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leadsuite.kit.cache.RecentCopy;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.GradeBand;
import io.leadsuite.scoring.domain.Operator;
import io.leadsuite.scoring.domain.RuleKind;
import io.leadsuite.scoring.domain.ScoringModel;
import io.leadsuite.scoring.domain.ScoringRule;
import io.leadsuite.scoring.repository.ScoringModelRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads scoring models, and turns stored models into the rule engine's {@link CompiledModel}s. */
@ApplicationScoped
public class ModelCatalog {

    /** The model Flyway creates at first start ({@code V1__scoring.sql}). */
    public static final UUID DEFAULT_MODEL_ID = UUID.fromString("00000000-0000-0000-0000-00000000d3fa");

    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    /**
     * How old the copy of the published models a scoring run uses may be, measured when the run holds its leads'
     * locks (it asks for the models after taking them). A publish or retire on this replica counts at once; on
     * another, after this at most, and its re-scoring job waits {@link #JOB_DELAY} before it starts, so that no run
     * with an older copy can follow the job on a lead it has re-scored.
     */
    static final Duration PUBLISHED_MAX_AGE = Duration.ofSeconds(1);
    /** How long a re-scoring job waits after it was queued: every replica's copy is newer than its model by then. */
    public static final Duration JOB_DELAY = PUBLISHED_MAX_AGE.multipliedBy(2);

    @Inject
    ScoringModelRepository models;

    private final RecentCopy<List<CompiledModel>> published = new RecentCopy<>(PUBLISHED_MAX_AGE);

    /** Every model, by name, each as the version that scores (or the draft of a model never published). */
    public Uni<List<ScoringModel>> list() {
        return Panache.withSession(() -> models.all());
    }

    /**
     * The published models, in a stable order: a copy at most {@link #PUBLISHED_MAX_AGE} old, read again in the
     * caller's session when it is older. A scoring run asks for it after it has locked its leads.
     */
    public Uni<List<CompiledModel>> published() {
        return published.get(() -> models.published()
                .map(list -> list.stream().map(ModelCatalog::compile).toList()));
    }

    /** This replica published or retired a model (committed): the next scoring run reads the models again. */
    public void changed() {
        published.invalidate();
    }

    public static CompiledModel compile(ScoringModel model) {
        List<String> topics = new ArrayList<>();
        JsonArray scopeTopics = model.scope().getJsonArray("topics");
        if (scopeTopics != null) {
            scopeTopics.forEach(t -> topics.add(String.valueOf(t)));
        }
        List<GradeBand> grades = new ArrayList<>();
        for (Object g : model.grades()) {
            JsonObject grade = (JsonObject) g;
            grades.add(new GradeBand(grade.getString("name"), grade.getInteger("minScore", 0)));
        }
        List<ScoringRule> rules = new ArrayList<>();
        for (Object r : model.rules()) {
            ScoringRule rule = toRule(model.id, (JsonObject) r);
            if (rule != null) {
                rules.add(rule);
            }
        }
        return new CompiledModel(model.id, model.name, model.version, topics, model.salesReadyThreshold, grades,
                rules);
    }

    private static ScoringRule toRule(UUID modelId, JsonObject json) {
        try {
            String kind = json.getString("kind", RuleKind.BEHAVIOUR.name());
            String operator = json.getString("operator");
            Object value = json.getValue("value");
            if (value instanceof JsonArray array) {
                value = array.getList();
            } else if (value instanceof JsonObject object) {
                value = object.getMap();
            }
            return new ScoringRule(json.getString("id"), RuleKind.valueOf(kind.toUpperCase(Locale.ROOT)),
                    json.getString("interactionType"), json.getString("attribute"),
                    operator == null ? null : Operator.valueOf(operator.toUpperCase(Locale.ROOT)), value,
                    json.getInteger("points", 0), json.getInteger("maxTimes"), json.getInteger("windowDays"));
        } catch (RuntimeException e) {
            LOG.warnf("Scoring model %s: rule %s cannot be read and is ignored: %s", modelId, json.encode(),
                    e.getMessage());
            return null;
        }
    }
}
