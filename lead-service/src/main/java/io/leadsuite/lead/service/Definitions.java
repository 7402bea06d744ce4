package io.leadsuite.lead.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.leadsuite.kit.cache.RecentCopy;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.domain.Definition;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * One kind of {@link Definition} (routing rules, nurture triggers): create, list, get, replace and delete as the admin
 * API asks, and the enabled ones as the lead flow reads them on every event. Those are a recent copy that each change
 * here drops after it committed; another replica's change counts after {@link #ENABLED_MAX_AGE}.
 *
 * @param <E> the entity
 * @param <W> a definition as the API writes it
 */
public abstract class Definitions<E extends Definition, W extends Definitions.Written> {

    /** What every definition the API writes has. */
    public interface Written {

        String name();

        /** Null: enabled. */
        Boolean enabled();
    }

    /** A stage id as a definition names it. */
    protected static final Pattern STAGE = Pattern.compile("^[A-Z][A-Z0-9_]{0,63}$");

    /** How long another replica's change may take to count here (this replica's own counts at once). */
    static final Duration ENABLED_MAX_AGE = Duration.ofSeconds(1);

    private final Class<E> type;
    private final Supplier<E> factory;
    private final String noun;
    private final String order;
    private final RecentCopy<List<E>> enabledCopy = new RecentCopy<>(ENABLED_MAX_AGE);

    /**
     * @param noun what one is called in a not-found answer, e.g. "Routing rule"
     * @param order the HQL order of the list and of the enabled ones, e.g. "createdAt, id"
     */
    protected Definitions(Class<E> type, Supplier<E> factory, String noun, String order) {
        this.type = type;
        this.factory = factory;
        this.noun = noun;
        this.order = order;
    }

    /**
     * What is wrong with what every definition has (its name), for a kind's own checks to add to.
     */
    protected static List<Violation> violations(Written written) {
        List<Violation> errors = new ArrayList<>();
        if (written.name() == null || written.name().isBlank() || written.name().length() > 200) {
            errors.add(new Violation("name", "must be 1 to 200 characters"));
        }
        return errors;
    }

    /** Refuses a definition that is not valid ({@code InvalidValues} naming the fields). */
    protected abstract void check(W written);

    /** Sets what the (checked) definition says of its kind; the id, name, enabled flag and times are set here. */
    protected abstract void apply(E entity, W written);

    public Uni<E> create(W written) {
        check(written);
        E entity = factory.get();
        entity.id = UUID.randomUUID();
        entity.createdAt = Instant.now();
        put(entity, written);
        return Panache.withTransaction(entity::<E> persist).invoke(enabledCopy::invalidate);
    }

    public Uni<E> replace(UUID id, W written) {
        check(written);
        return Panache.withTransaction(() -> find(id).invoke(entity -> put(entity, written)))
                .invoke(enabledCopy::invalidate);
    }

    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> find(id).chain(entity -> entity.delete()))
                .invoke(enabledCopy::invalidate);
    }

    public Uni<E> get(UUID id) {
        return Panache.withSession(() -> find(id));
    }

    /** All of them, in their order. */
    public Uni<List<E>> list() {
        return Panache.withSession(() -> select(""));
    }

    /** The enabled ones, in their order; in the caller's session. */
    protected Uni<List<E>> enabled() {
        return enabledCopy.get(() -> select("where enabled = true "));
    }

    private void put(E entity, W written) {
        entity.name = written.name().strip();
        entity.enabled = written.enabled() == null || written.enabled();
        apply(entity, written);
        entity.updatedAt = Instant.now();
    }

    private Uni<E> find(UUID id) {
        return Panache.getSession().chain(session -> session.find(type, id)).onItem().ifNull()
                .failWith(() -> new NotFound(noun, id));
    }

    private Uni<List<E>> select(String where) {
        return Panache.getSession().chain(session -> session
                .createQuery("from " + type.getSimpleName() + " " + where + "order by " + order, type)
                .getResultList());
    }
}
