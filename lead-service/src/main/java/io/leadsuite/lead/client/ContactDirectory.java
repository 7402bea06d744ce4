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

import io.leadsuite.kit.domain.DomainException;
import io.leadsuite.kit.domain.Erased;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.NotPermitted;
import io.leadsuite.kit.domain.RetryLater;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
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

    /** What a refusal of a match names as the contact: the request had no id. */
    private static final String MATCHED = "(matched by e-mail)";

    private final ContactServiceClient client;

    public ContactDirectory(@RestClient ContactServiceClient client) {
        this.client = client;
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = DomainException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = DomainException.class)
    public Uni<ContactMatch> matchOrCreate(ContactDetails details) {
        return client.match(details).onFailure(WebApplicationException.class).transform(f -> translate(f, MATCHED));
    }

    /** {@link #matchOrCreate} with the given caller's bearer token (an import works on after its upload answered). */
    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = DomainException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = DomainException.class)
    public Uni<ContactMatch> matchOrCreate(String authorization, ContactDetails details) {
        return client.match(authorization, details).onFailure(WebApplicationException.class)
                .transform(f -> translate(f, MATCHED));
    }

    @Timeout(value = 5, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, abortOn = DomainException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS, skipOn = DomainException.class)
    public Uni<ContactSnapshot> get(UUID id) {
        return client.get(id).onFailure(WebApplicationException.class).transform(f -> translate(f, id));
    }

    /** Failures that are not a refusal, after the retries: contact-service is unavailable, send again later. */
    public static Throwable unavailable(Throwable failure) {
        return failure instanceof DomainException ? failure
                : new RetryLater("contact-service did not answer: " + failure.getClass().getSimpleName());
    }

    /**
     * contact-service's refusal (a 4xx problem) in the domain's terms, with its detail and the fields it named: invalid
     * values (400, 422), not permitted (401, 403: the caller's credential was refused there), no such contact (404),
     * an erased contact (410), a conflict (409), too many requests (429: later). Other answers stay transport failures.
     */
    private static Throwable translate(Throwable failure, Object contact) {
        Response response = ((WebApplicationException) failure).getResponse();
        int status = response.getStatus();
        if (status < 400 || status >= 500) {
            return failure;
        }
        String detail = "contact-service answered " + status;
        List<Violation> violations = List.of();
        try {
            JsonObject body = new JsonObject(response.readEntity(String.class));
            detail = body.getString("detail", detail);
            JsonArray fieldErrors = body.getJsonArray("errors");
            if (fieldErrors != null) {
                violations = fieldErrors.stream().map(JsonObject.class::cast)
                        .map(e -> new Violation(e.getString("field"), e.getString("message"))).toList();
            }
        } catch (RuntimeException unreadable) {
            // keep the generic detail
        }
        return switch (status) {
            case 401, 403 -> new NotPermitted("contact-service refused the caller's credential: " + detail);
            case 404 -> new NotFound("Contact", contact);
            case 409 -> new StateConflict(detail);
            case 410 -> new Erased("Contact", contact);
            case 429 -> new RetryLater(detail);
            default -> new InvalidValues(detail, violations);
        };
    }
}
