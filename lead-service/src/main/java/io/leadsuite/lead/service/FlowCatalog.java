package io.leadsuite.lead.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.cache.RecentCopy;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.kit.sql.UniqueViolation;
import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.domain.FlowValidator;
import io.leadsuite.lead.repository.FlowRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The flows, read from the {@code flow} table. A (flow, version) never changes once written, so each is cached for
 * the life of the process.
 */
@ApplicationScoped
public class FlowCatalog {

    @Inject
    ObjectMapper mapper;
    private final Map<String, Flow> byVersion = new ConcurrentHashMap<>();
    /** How long a flow version another replica saves may take to reach new leads here. */
    static final Duration FOR_NEW_LEADS_MAX_AGE = Duration.ofSeconds(1);
    private final RecentCopy<Map<String, Integer>> newestVersions = new RecentCopy<>(FOR_NEW_LEADS_MAX_AGE);
    @Inject
    FlowRepository repository;

    /** The flow a lead runs under. Call inside a session. */
    public Uni<Flow> get(String id, int version) {
        Flow cached = byVersion.get(id + "@" + version);
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
        return repository.definition(id, version)
                .map(definition -> remember(parse(definition.orElseThrow(
                        () -> new NotFound("Flow", id + " version " + version)))));
    }

    /** One version of a flow, in a session of its own. */
    @WithSession
    public Uni<Flow> version(String id, int version) {
        return get(id, version);
    }

    /** The newest version of every flow. */
    @WithSession
    public Uni<List<Flow>> latest() {
        return repository.latestDefinitions().map(rows -> rows.stream().map(this::parse).map(this::remember).toList());
    }

    /**
     * The newest version of one flow: its number from the database (a new version saved by another replica counts at
     * once), its definition from the cache of versions, which never change.
     */
    @WithSession
    public Uni<Flow> latest(String id) {
        return newest(id);
    }

    /**
     * The version of flow {@code id} a lead that starts now runs under: the newest, its number from a copy of every
     * flow's newest version number at most {@link #FOR_NEW_LEADS_MAX_AGE} old (one statement a second for all flows,
     * not one a lead). A version this replica saves counts at once, another replica's within that time; a flow not in
     * the copy is read from the database. Call inside a session.
     */
    public Uni<Flow> forNewLead(String id) {
        return newestVersions.get(repository::latestVersions).chain(versions -> {
            Integer version = versions.get(id);
            return version == null ? newest(id) : get(id, version);
        });
    }

    private Uni<Flow> newest(String id) {
        return repository.latestVersion(id)
                .chain(version -> {
                    if (version == null) {
                        return Uni.createFrom().failure(new NotFound("Flow", id));
                    }
                    return get(id, version);
                });
    }

    /**
     * Stores a definition as the next version of flow {@code id} (version 1 for a new flow), after checking that it
     * can work (422 listing every problem otherwise). Leads already in the flow keep the version they started with.
     * Two admins saving at once get consecutive versions, or a 409 for the loser of a tie.
     */
    public Uni<Flow> save(String id, Flow definition) {
        if (definition.id() != null && !definition.id().equals(id)) {
            throw InvalidValues.of("The flow's id must match the path", "id", "must be '" + id + "' (or left out)");
        }
        Flow candidate = definition.as(id, 1);
        List<Violation> violations = FlowValidator.validate(candidate);
        if (!violations.isEmpty()) {
            throw InvalidValues.named("invalid-flow", "The flow cannot work",
                    violations.size() + " problem(s) in flow " + id + ": "
                            + String.join("; ", violations.stream().map(v -> v.field() + ": " + v.message()).toList()),
                    violations);
        }
        return Panache.withTransaction(() -> salesFlowExists(candidate).chain(() -> repository.latestVersion(id))
                .chain(latest -> {
                    Flow versioned = candidate.as(id, latest == null ? 1 : latest + 1);
                    String json;
                    try {
                        json = mapper.writeValueAsString(versioned);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                    return repository.insert(id, versioned.version(), json).replaceWith(versioned);
                }))
                .onFailure(UniqueViolation::in)
                .transform(e -> new StateConflict("Flow " + id + " was changed at the same time; retry"))
                .invoke(newestVersions::invalidate)
                .map(this::remember);
    }

    /** A flow may only name a sales flow that exists (422 otherwise). Call inside a session. */
    private Uni<Void> salesFlowExists(Flow flow) {
        if (flow.salesFlow() == null) {
            return Uni.createFrom().voidItem();
        }
        return repository.exists(flow.salesFlow()).invoke(exists -> {
            if (!exists) {
                throw InvalidValues.of("Unknown sales flow " + flow.salesFlow(), "salesFlow", "no such flow");
            }
        }).replaceWithVoid();
    }

    private Flow remember(Flow flow) {
        byVersion.putIfAbsent(flow.id() + "@" + flow.version(), flow);
        return flow;
    }

    private Flow parse(String json) {
        try {
            return mapper.readValue(json, Flow.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored flow definition cannot be read", e);
        }
    }
}
