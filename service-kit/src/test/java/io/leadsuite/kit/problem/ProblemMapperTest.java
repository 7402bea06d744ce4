package io.leadsuite.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.hibernate.exception.LockAcquisitionException;
import org.junit.jupiter.api.Test;

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
}
