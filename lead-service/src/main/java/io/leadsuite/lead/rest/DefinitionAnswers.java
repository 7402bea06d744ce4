package io.leadsuite.lead.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.ws.rs.core.Response;

import io.leadsuite.lead.domain.Definition;
import io.leadsuite.lead.service.Definitions;
import io.smallrye.mutiny.Uni;

/**
 * The answers of the admin API of one kind of {@link Definition} (routing rules, nurture triggers): a created one is a
 * 201 naming it in Location, a deleted one a 204, and every other answer the definition as its view. Each operation
 * declares itself (path, id, prose, answers) in its resource.
 *
 * @param <E> the entity
 * @param <W> a definition as the API writes it
 * @param <V> the entity as the API shows it
 */
final class DefinitionAnswers<E extends Definition, W extends Definitions.Written, V> {

    private final Definitions<E, W> definitions;
    private final String path;
    private final Function<E, V> view;

    /** @param path the collection's path, e.g. "/routing-rules" */
    DefinitionAnswers(Definitions<E, W> definitions, String path, Function<E, V> view) {
        this.definitions = definitions;
        this.path = path;
        this.view = view;
    }

    Uni<Response> create(W written) {
        return definitions.create(written)
                .map(e -> Response.created(URI.create(path + "/" + e.id)).entity(view.apply(e)).build());
    }

    /** All of them, in their order. */
    Uni<List<V>> list() {
        return definitions.list().map(all -> all.stream().map(view).toList());
    }

    Uni<V> get(UUID id) {
        return definitions.get(id).map(view);
    }

    Uni<V> replace(UUID id, W written) {
        return definitions.replace(id, written).map(view);
    }

    Uni<Response> delete(UUID id) {
        return definitions.delete(id).replaceWith(Response.noContent().build());
    }
}
