package io.leadsuite.lead.client;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.client.ContactServiceClient.ContactDetails;
import io.leadsuite.lead.client.ContactServiceClient.ContactMatch;
import io.leadsuite.lead.client.ContactServiceClient.ContactSnapshot;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * contact-service behind fault tolerance: a time-out, retries (match-or-create is idempotent by e-mail) and a circuit
 * breaker. A 4xx answer is the caller's problem and is passed on as such, never retried; anything else becomes a
 * 503 problem once the retries are spent.
 */
@ApplicationScoped
public class ContactDirectory {

    private final ContactServiceClient client;

    public ContactDirectory(@RestClient ContactServiceClient client) {
        this.client = client;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Uni<ContactMatch> matchOrCreate(ContactDetails details) {
        return client.match(details).onFailure(WebApplicationException.class).transform(ContactDirectory::translate);
    }

    /** {@link #matchOrCreate} with the given caller's bearer token (an import works on after its upload answered). */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Uni<ContactMatch> matchOrCreate(String authorization, ContactDetails details) {
        return client.match(authorization, details).onFailure(WebApplicationException.class)
                .transform(ContactDirectory::translate);
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = ProblemException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = ProblemException.class)
    public Uni<ContactSnapshot> get(UUID id) {
        return client.get(id).onFailure(WebApplicationException.class).transform(ContactDirectory::translate);
    }

    /** Failures that are not the caller's problem, after the retries: contact-service is unavailable. */
    public static Throwable unavailable(Throwable failure) {
        return failure instanceof ProblemException ? failure
                : ProblemException.unavailable("contact-service did not answer: " + failure.getClass().getSimpleName());
    }

    private static Throwable translate(Throwable failure) {
        Response response = ((WebApplicationException) failure).getResponse();
        int status = response.getStatus();
        if (status < 400 || status >= 500) {
            return failure;
        }
        String detail = "contact-service answered " + status;
        List<Problem.FieldError> errors = null;
        try {
            JsonObject body = new JsonObject(response.readEntity(String.class));
            detail = body.getString("detail", detail);
            JsonArray fieldErrors = body.getJsonArray("errors");
            if (fieldErrors != null) {
                errors = fieldErrors.stream().map(JsonObject.class::cast)
                        .map(e -> new Problem.FieldError(e.getString("field"), e.getString("message"))).toList();
            }
        } catch (RuntimeException unreadable) {
            // keep the generic detail
        }
        return new ProblemException(status, status == 422 ? "unprocessable" : "http-" + status,
                status == 422 ? "The request cannot be processed" : "Rejected by contact-service", detail, errors);
    }
}
