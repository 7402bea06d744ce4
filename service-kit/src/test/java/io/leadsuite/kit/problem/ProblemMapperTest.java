package io.leadsuite.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.ws.rs.core.Response;

import org.hibernate.HibernateException;
import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class ProblemMapperTest {

    @Test
    void aDeadlockIsABusyAnswerToRetryNotAServerError() {
        Response response = new ProblemMapper().lockContention(new LockAcquisitionException(
                "deadlock detected", new SQLException("ERROR: deadlock detected", "40P01")), null);
        assertEquals(503, response.getStatus());
        assertEquals("1", response.getHeaderString("Retry-After"));
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals(Problem.TYPE_BASE + "busy", ((Problem) response.getEntity()).type());
    }

    /**
     * Found by FaultsIT: with PostgreSQL shut down immediately, or the link to it reset, requests were answered 500
     * "unexpected error", which clients do not repeat; the outcome is unknown, and a repeat is harmless. The long run
     * found one more shape: a transaction whose link was reset (Netty's plain IOException) and whose rollback then
     * found the connection closed.
     */
    @Test
    void aLostDatabaseConnectionIsUnavailableToRetryNotAServerError() {
        ProblemMapper mapper = new ProblemMapper();
        for (Throwable lost : List.of(
                new CompletionException(new IllegalStateException("tx", ClosedConnectionException.INSTANCE)),
                new RuntimeException(new ConnectException("Connection refused: /127.0.0.1:36432")),
                new CompositeException(new HibernateException(new SocketException("Connection reset")),
                        new SocketException("Connection reset")),
                new CompositeException(new java.io.IOException("Connection reset by peer"),
                        new io.vertx.core.VertxException("Connection is not active now, current status: CLOSED", true)),
                new PgException("terminating connection due to administrator command", "FATAL", "57P01", null),
                new PgException("the database system is starting up", "FATAL", "57P03", null))) {
            Response response = mapper.unexpected(lost, null);
            assertEquals(503, response.getStatus(), lost.toString());
            assertEquals("2", response.getHeaderString("Retry-After"));
            assertEquals(Problem.TYPE_BASE + "unavailable", ((Problem) response.getEntity()).type());
        }
    }

    @Test
    void otherFailuresStayServerErrors() {
        ProblemMapper mapper = new ProblemMapper();
        // Jackson's exceptions are IOExceptions: one in a request's chain (here another service's answer that is not
        // JSON) was taken for a lost connection and answered 503 to repeat
        for (Throwable bug : List.of(new NullPointerException(),
                new io.vertx.core.json.DecodeException("Failed to decode", new JsonParseException(null, "Unexpected")),
                new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null))) {
            assertEquals(500, mapper.unexpected(bug, null).getStatus(), bug.toString());
        }
    }

    @Test
    void anUnreadableBodyNamesTheFieldItFailedOn() {
        InvalidFormatException unreadable = assertThrows(InvalidFormatException.class,
                () -> new ObjectMapper().readValue("{\"rules\": [{\"points\": \"many\"}]}", Model.class));
        Problem problem = ProblemException.unreadable(unreadable).toProblem("/models");
        assertEquals(400, problem.status());
        assertEquals(Problem.TYPE_BASE + "malformed-body", problem.type());
        assertEquals("rules[0].points", problem.errors().get(0).field());
        assertEquals("value 'many' is not a valid int", problem.errors().get(0).message());
    }

    record Model(List<Rule> rules) {
    }

    record Rule(int points) {
    }
}
