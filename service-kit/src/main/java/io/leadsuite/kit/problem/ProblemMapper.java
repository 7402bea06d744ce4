package io.leadsuite.kit.problem;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.leadsuite.kit.domain.DomainException;
import io.leadsuite.kit.domain.RetryLater;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The one place where a service turns failures into RFC 9457 problem+json responses. Every service that depends on
 * the kit gets these mappers; none defines its own.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response domain(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    /** A refusal of the domain; one that asks for the same command again later ({@link RetryLater}) says when. */
    @ServerExceptionMapper
    public Response refused(DomainException e, UriInfo uri) {
        Response answer = respond(ProblemException.of(e).toProblem(path(uri)));
        return e instanceof RetryLater ? retryAfter(1, answer) : answer;
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        e.getConstraintViolations().forEach(v -> errors.add(new Problem.FieldError(field(v.getPropertyPath()),
                v.getMessage())));
        return answer("validation", "The request is not valid", 422, "One or more fields are invalid", uri, errors);
    }

    /**
     * Quarkus REST maps the subtypes {@link MismatchedInputException} and {@link JsonParseException} itself; naming
     * them here takes over, so the body stays problem+json.
     */
    @ServerExceptionMapper(value = { JsonProcessingException.class, MismatchedInputException.class,
            JsonParseException.class }, priority = 1)
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return respond(ProblemException.unreadable(e).toProblem(path(uri)));
    }

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(RuntimeException e, UriInfo uri) {
        return answer("unauthorized", "Authentication required", 401, "A valid bearer token is required", uri, null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return answer("forbidden", "Forbidden", 403, "The token's roles do not allow this operation", uri, null);
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(StaleObjectStateException e, UriInfo uri) {
        return answer("conflict", "Concurrent update", 409,
                "The resource was changed by another request; read it again and retry", uri, null);
    }

    /**
     * A deadlock or lock time-out the database broke by aborting this request's transaction: nothing was stored, and
     * the same request a moment later succeeds, so the client is told to retry rather than shown a server error.
     */
    @ServerExceptionMapper
    public Response lockContention(org.hibernate.exception.LockAcquisitionException e, UriInfo uri) {
        LOG.warnf("Lock contention on %s, answered 503: %s", path(uri), e.getMessage());
        return retryAfter(1, answer("busy", "Busy", 503,
                "Concurrent work on the same records aborted this request; nothing was stored, retry it", uri, null));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "Error";
        return answer("http-" + status, title, status, e.getMessage(), uri, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        Throwable lost = connectionGone(e);
        if (lost != null) {
            return connectionLost(lost, uri);
        }
        LOG.errorf(e, "Unexpected failure on %s", path(uri));
        return answer("internal", "Internal error", 500, "An unexpected error occurred; it has been logged", uri, null);
    }

    /**
     * The database (or another service this request calls) dropped the connection, refused it or is shutting down
     * (found by FaultsIT: PostgreSQL's immediate shutdown and a reset link answered 500 "unexpected", which clients
     * are not told to repeat). Not a server bug but an outage: 503 with Retry-After. Whether the request was applied is unknown
     * when the connection broke during the
     * commit, so the answer says to send the same request again: the same Idempotency-Key, the same interaction ids or
     * the same step make the repeat harmless.
     */
    Response connectionLost(Throwable cause, UriInfo uri) {
        LOG.warnf("Connection lost on %s, answered 503: %s", path(uri), cause);
        return retryAfter(2, answer("unavailable", "Unavailable", 503,
                "The database or a service this request needs could not be reached or dropped the connection; the "
                        + "request may or may not have been applied: send the same request again",
                uri, null));
    }

    /** The failure in the chain that says a connection (to the database, or another service) is gone, or null. */
    static Throwable connectionGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // an IOException in a request's chain is the network's: Netty reports a reset link as a plain
            // IOException("Connection reset by peer"), not a SocketException
            // (Jackson's exceptions are IOExceptions too, and say nothing about a connection)
            if (t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof java.io.IOException && !(t instanceof com.fasterxml.jackson.core.JacksonException)) {
                return t;
            }
            // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return t;
            }
            // a failed transaction whose rollback failed too: Hibernate Reactive reports both
            if (t instanceof io.smallrye.mutiny.CompositeException composite) {
                for (Throwable cause : composite.getCauses()) {
                    Throwable gone = cause == t ? null : connectionGone(cause);
                    if (gone != null) {
                        return gone;
                    }
                }
            }
        }
        return null;
    }

    /** A problem of the kit's own {@code type} (under {@link Problem#TYPE_BASE}); {@code errors} may be null. */
    private static Response answer(String type, String title, int status, String detail, UriInfo uri,
            List<Problem.FieldError> errors) {
        return respond(new Problem(Problem.TYPE_BASE + type, title, status, detail, path(uri), errors));
    }

    /** The answer with a {@code Retry-After} header: the client should send the same request again that much later. */
    private static Response retryAfter(int seconds, Response answer) {
        return Response.fromResponse(answer).header("Retry-After", String.valueOf(seconds)).build();
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /** The bean path of a violation without the method and parameter nodes: "email", "attributes[url]". */
    private static String field(jakarta.validation.Path path) {
        StringBuilder sb = new StringBuilder();
        for (jakarta.validation.Path.Node node : path) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, PARAMETER, RETURN_VALUE, CROSS_PARAMETER -> {
                }
                default -> {
                    if (node.getName() != null) {
                        sb.append(sb.isEmpty() ? "" : ".").append(node.getName());
                    }
                    if (node.getIndex() != null) {
                        sb.append('[').append(node.getIndex()).append(']');
                    }
                }
            }
        }
        return sb.isEmpty() ? path.toString() : sb.toString();
    }
}
