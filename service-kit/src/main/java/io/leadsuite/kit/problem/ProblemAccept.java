package io.leadsuite.kit.problem;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Content negotiation that does not refuse a client which accepts only {@code application/problem+json}: every
 * operation answers its errors in that type and its successes in {@code application/json}, and a client generated
 * from the OpenAPI document of an operation whose answers it could not tell apart sends
 * {@code Accept: application/problem+json} alone. Such a request is taken as also accepting
 * {@code application/json} (at a lower weight), instead of being answered 406 for a success it would have parsed. A
 * client that accepts only {@code application/json} needs nothing: problems are answered in their own type whatever
 * it asked for.
 */
@ApplicationScoped
public class ProblemAccept {

    static final String JSON = "application/json";
    private static final List<String> ALSO_JSON = List.of(JSON, "application/*", "*/*");

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            widen(rc.request());
            rc.next();
        }, 1000);
    }

    static void widen(HttpServerRequest request) {
        List<String> accept = request.headers().getAll(HttpHeaders.ACCEPT);
        if (accept.isEmpty()) {
            return;
        }
        String joined = String.join(",", accept).toLowerCase(java.util.Locale.ROOT);
        if (!joined.contains(Problem.MEDIA_TYPE)) {
            return;
        }
        for (String range : joined.split(",")) {
            String type = range.split(";", 2)[0].strip();
            if (ALSO_JSON.contains(type)) {
                return;
            }
        }
        request.headers().add(HttpHeaders.ACCEPT, JSON + ";q=0.5");
    }
}
