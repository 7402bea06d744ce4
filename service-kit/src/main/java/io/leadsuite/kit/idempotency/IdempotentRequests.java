package io.leadsuite.kit.idempotency;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/**
 * The {@code Idempotency-Key} convention of the contract: a creating POST that carries a key, repeated with the same
 * key and body within 24 hours, gets the first answer again and creates nothing new; the same key with another body
 * is refused with 422. The answer is stored in the same transaction as what the request created, so a key is only
 * ever remembered together with its effect.
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    /** Replayed answers carry this header. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    static final Duration RETENTION = Duration.ofHours(24);

    @Inject
    ObjectMapper mapper;

    /** The first answer to a request: its status, JSON body and Location, if any. */
    public record StoredAnswer(int status, String body, String location) {
    }

    /** What an operation answers the first time: status, body and, for a creation, the new resource's location. */
    public record Answer(int status, Object body, URI location) {
    }

    /**
     * Answers a keyed request: the earlier answer when there is one, otherwise {@code firstTime}, which must call
     * {@link #remember} inside its own transaction. Without a key, simply {@code firstTime}. Two racing requests with
     * one key: the one that commits second rolls back and answers what the first stored.
     */
    public Uni<Response> answer(Request request, Supplier<Uni<Answer>> firstTime) {
        if (request == null) {
            // no key: nothing to look up, so no session (and no pool connection) is opened for it
            return Uni.createFrom().deferred(() -> firstTime.get().map(IdempotentRequests::respond));
        }
        return Uni.createFrom().deferred(() -> earlierAnswer(request).chain(earlier -> earlier.isPresent()
                ? Uni.createFrom().item(replay(earlier.get()))
                : firstTime.get().map(IdempotentRequests::respond)))
                .onFailure(KeyTakenException.class).retry().atMost(2);
    }

    /**
     * Answers a keyed request in one transaction that this opens: {@code firstTime} does the request's work in it
     * (without a transaction of its own) and its answer is remembered in it, so the key is only ever stored together
     * with its effect. A repeat after a racing request took the key runs in a new transaction. Without a key, the
     * same transaction and nothing remembered.
     */
    public Uni<Response> answerInTransaction(Request request, Supplier<Uni<Answer>> firstTime) {
        return answer(request, () -> Panache.withTransaction(
                () -> firstTime.get().call(answer -> remember(request, answer))));
    }

    private static Response respond(Answer answer) {
        Response.ResponseBuilder builder = Response.status(answer.status()).entity(answer.body());
        if (answer.location() != null) {
            builder.location(answer.location());
        }
        return builder.build();
    }

    private static Response replay(StoredAnswer stored) {
        Response.ResponseBuilder builder = Response.status(stored.status()).entity(stored.body())
                .type(MediaType.APPLICATION_JSON).header(REPLAYED_HEADER, "true");
        if (stored.location() != null) {
            builder.location(URI.create(stored.location()));
        }
        return builder.build();
    }

    /** A keyed request: the operation and caller it is for, the client's key and a hash of what was asked. */
    public record Request(String operation, String key, String hash) {
    }

    /**
     * Null when the client sent no key; otherwise the request to look up and remember. A key belongs to the caller
     * (the token's subject) and the operation (the route): another client using the same key neither gets this
     * caller's answer nor is refused because of it.
     *
     * @param caller the authenticated subject that sent the request
     */
    public Request request(String operation, String caller, String key, Object body) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > 200) {
            throw ProblemException.unprocessable("The Idempotency-Key header must have 1 to 200 characters",
                    List.of(new Problem.FieldError(HEADER, "1 to 200 characters")));
        }
        String scoped = operation + " " + (caller == null ? "" : caller);
        return new Request(scoped, key, hash(scoped, body));
    }

    /** The stored answer of an earlier request with this key, if any within 24 hours; 422 if it asked otherwise. */
    @WithSession
    public Uni<Optional<StoredAnswer>> earlierAnswer(Request request) {
        if (request == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return SessionSql.select("select request_hash, status, body, location from idempotent_request "
                + "where operation = $1 and key = $2 and created_at > now() - make_interval(hours => $3)",
                request.operation(), request.key(), (int) RETENTION.toHours())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return Optional.empty();
                    }
                    Object[] row = rows.get(0);
                    if (!request.hash().equals(row[0])) {
                        throw ProblemException.unprocessable(
                                "This Idempotency-Key was used with a different request in the last 24 hours",
                                List.of(new Problem.FieldError(HEADER, "already used for another request")));
                    }
                    return Optional.of(new StoredAnswer(((Number) row[1]).intValue(), (String) row[2], (String) row[3]));
                });
    }

    /**
     * Stores the answer in the caller's transaction. If another request with the same key committed first, this
     * fails with {@link KeyTakenException} and the caller's transaction rolls back: ask {@link #earlierAnswer} again.
     */
    public Uni<Void> remember(Request request, Answer answer) {
        if (request == null) {
            return Uni.createFrom().voidItem();
        }
        String body;
        try {
            body = mapper.writeValueAsString(answer.body());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Answer cannot be stored", e);
        }
        // the key's own table: nothing pending in the session changes what this writes, so the session is not flushed
        // (dirty-checked) first; its changes are written at commit as ever
        return SessionSql.executeWithoutFlush(session -> session.createNativeQuery("insert into idempotent_request "
                + "(operation, key, request_hash, status, body, location) values (?1, ?2, ?3, ?4, ?5, cast(?7 as text)) "
                + "on conflict (operation, key) do update set request_hash = excluded.request_hash, "
                + "status = excluded.status, body = excluded.body, location = excluded.location, created_at = now() "
                + "where idempotent_request.created_at <= now() - make_interval(hours => ?6)")
                .setParameter(1, request.operation())
                .setParameter(2, request.key())
                .setParameter(3, request.hash())
                .setParameter(4, answer.status())
                .setParameter(5, body)
                .setParameter(6, (int) RETENTION.toHours())
                .setParameter(7, answer.location() == null ? null : answer.location().toString()))
                .invoke(written -> {
                    if (written == 0) {
                        throw new KeyTakenException();
                    }
                })
                .replaceWithVoid();
    }

    private String hash(String operation, Object body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(operation.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(mapper.writeValueAsBytes(body));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Another request with the same key committed first. */
    public static class KeyTakenException extends RuntimeException {
        public KeyTakenException() {
            super("Idempotency-Key taken by a concurrent request", null, false, false);
        }
    }
}
