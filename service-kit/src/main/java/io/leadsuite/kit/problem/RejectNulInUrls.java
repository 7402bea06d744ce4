package io.leadsuite.kit.problem;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.leadsuite.kit.json.RejectNulCharacters;
import io.vertx.core.http.HttpServerRequest;

/**
 * PostgreSQL text cannot hold a NUL character, so a request whose path or query carries one ({@code %00}, the only
 * way a URL can) is refused before any resource runs, as a 400 naming each query parameter, instead of failing in the
 * database as a 500 (found by sending {@code ?campaign=%00} and the like to every operation). JSON bodies have the same
 * rule where they are read ({@link RejectNulCharacters}).
 */
public class RejectNulInUrls {

    @ServerRequestFilter(preMatching = true)
    public void refuseNul(HttpServerRequest request) {
        String uri = request.uri();
        int nul = uri.indexOf("%00");
        if (nul < 0) {
            return;
        }
        int query = uri.indexOf('?');
        if (query < 0 || nul < query) {
            throw ProblemException.badRequest("The path must not contain NUL characters (%00)");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String pair : uri.substring(query + 1).split("&")) {
            if (pair.contains("%00")) {
                int equals = pair.indexOf('=');
                String name = equals < 0 ? pair : pair.substring(0, equals);
                errors.add(new Problem.FieldError(decoded(name), RejectNulCharacters.NUL_MESSAGE));
            }
        }
        throw ProblemException.badRequest("A query parameter must not contain NUL characters (%00)", errors);
    }

    private static String decoded(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name;
        }
    }
}
