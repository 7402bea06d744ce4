package io.leadsuite.lead.rest;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.Cancellable;

import io.leadsuite.contracts.Roles;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.domain.WebhookAttempt;
import io.leadsuite.lead.domain.WebhookDelivery;
import io.leadsuite.lead.domain.WebhookSubscription;
import io.leadsuite.lead.service.webhook.WebhookService;
import io.smallrye.mutiny.Uni;

/**
 * Webhook subscriptions of CRMs (role {@code crm} or {@code admin}): lead events of the subscribed types are POSTed to
 * the URL, signed ({@code Lead-Signature}), retried until delivered, in order per lead. The secret is write-only.
 */
@Path("/crm/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "CRM webhooks")
@RolesAllowed({ Roles.CRM, Roles.ADMIN })
@Cancellable(false)
public class WebhookResource {

    @Inject
    WebhookService webhooks;

    @Schema(name = "WebhookSubscriptionRequest", example = """
            {"url": "https://crm.example.com/hooks/leads", "secret": "whsec_5f1c0b7e9a2d4c3b8e6f",
             "events": ["lead.sales-ready", "lead.accepted", "lead.closed"]}""")
    public record SubscriptionRequest(
            @Schema(description = "http or https URL on a public address") String url,
            @Schema(description = "HMAC-SHA256 key, 16 to 256 characters; never returned") String secret,
            @Schema(description = "lead event types, e.g. lead.sales-ready, lead.stage-changed, lead.accepted") List<String> events) {
    }

    @Schema(name = "WebhookSubscription", example = """
            {"id": "6f0b1a52-8c1e-4f7a-9a51-3f7c2d1e0b9a", "url": "https://crm.example.com/hooks/leads",
             "events": ["lead.sales-ready"], "createdBy": "crm-user", "createdAt": "2026-11-23T10:15:30Z"}""")
    public record SubscriptionView(UUID id, String url, List<String> events, String createdBy, Instant createdAt) {
        static SubscriptionView of(WebhookSubscription s) {
            return new SubscriptionView(s.id, s.url, s.eventTypes(), s.createdBy, s.createdAt);
        }
    }

    @Schema(name = "WebhookSubscriptionPage")
    public record SubscriptionPage(List<SubscriptionView> items, String next) {
    }

    @Schema(name = "WebhookDeliveryPage")
    public record DeliveryPage(List<DeliveryView> items, String next) {
    }

    @Schema(name = "WebhookAttempt")
    public record AttemptView(Instant at, Integer status, String error, long durationMs) {
        static AttemptView of(WebhookAttempt a) {
            return new AttemptView(a.at, a.status, a.error, a.durationMs);
        }
    }

    @Schema(name = "WebhookDelivery", example = """
            {"id": 42, "eventId": "0d4a7c3e-2b1f-4e5d-9c8b-7a6f5e4d3c2b", "eventType": "lead.sales-ready",
             "leadId": "9b2e4c1a-7d3f-4e8b-a5c6-1f0e9d8c7b6a", "sequence": 4, "state": "DELIVERED",
             "attempts": 2, "createdAt": "2026-11-23T10:15:31Z", "deliveredAt": "2026-11-23T10:15:33Z",
             "nextAttemptAt": "2026-11-23T10:15:33Z", "lastStatus": 200, "lastError": null,
             "attemptLog": [{"at": "2026-11-23T10:15:31Z", "status": 503, "error": "HTTP 503", "durationMs": 12},
                            {"at": "2026-11-23T10:15:33Z", "status": 200, "error": null, "durationMs": 9}]}""")
    public record DeliveryView(long id, UUID eventId, String eventType, UUID leadId, long sequence,
            @Schema(enumeration = {
                    "PENDING", "DELIVERED", "CANCELLED" }) String state,
            int attempts, Instant createdAt, Instant deliveredAt, Instant nextAttemptAt, Integer lastStatus,
            String lastError, List<AttemptView> attemptLog){
        static DeliveryView of(WebhookService.DeliveryLog log) {
            WebhookDelivery d = log.delivery();
            return new DeliveryView(d.id, d.eventId, d.eventType, d.leadId, d.sequence, d.state, d.attempts,
                    d.createdAt, d.deliveredAt, log.nextAttemptAt(), d.lastStatus, d.lastError,
                    log.attempts().stream().map(AttemptView::of).toList());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Subscribe a URL to lead events", description = """
            Each event of a listed type is POSTed to the \
            URL as its JSON envelope with `Lead-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \
            "<t>.<raw body>")>` and `Lead-Event-Id`; retried with back-off until a 2xx, in order per lead. \
            Targets on private, loopback, link-local or multicast addresses are refused unless the service allows \
            private targets.""")
    @APIResponse(responseCode = "201", description = "Subscribed", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "422", description = "A field is invalid, or the target is not allowed", content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "private target", value = """
            {"type": "https://leadsuite.io/problems/unprocessable", "title": "The request cannot be processed",
             "status": 422, "detail": "The webhook target is not allowed: host 10.0.0.5 resolves to 10.0.0.5, a private or loopback address",
             "errors": [{"field": "url", "message": "host 10.0.0.5 resolves to 10.0.0.5, a private or loopback address"}]}""")))
    public Uni<Response> subscribe(@NotNull SubscriptionRequest request, SecurityContext security) {
        return webhooks.subscribe(new WebhookService.NewSubscription(request.url(), request.secret(), request.events()),
                security.getUserPrincipal().getName())
                .map(s -> Response.created(URI.create("/crm/webhooks/" + s.id)).entity(SubscriptionView.of(s))
                        .build());
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "The caller's live webhook subscriptions (secrets are never returned)", description = "A CRM client sees the subscriptions it made; an admin sees all.")
    @APIResponse(responseCode = "200", description = "Every subscription of the caller (one page)", content = @Content(schema = @Schema(implementation = SubscriptionPage.class)))
    public Uni<SubscriptionPage> list(SecurityContext security) {
        return webhooks.list(requester(security))
                .map(all -> new SubscriptionPage(all.stream().map(SubscriptionView::of).toList(), null));
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getWebhook", summary = "One webhook subscription (without its secret)")
    @APIResponse(responseCode = "200", description = "The subscription", content = @Content(schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "404", description = "No such subscription of the caller")
    public Uni<SubscriptionView> get(@PathParam("id") UUID id, SecurityContext security) {
        return webhooks.get(id, requester(security)).map(SubscriptionView::of);
    }

    @DELETE
    @Path("/{id}")
    @Operation(operationId = "deleteWebhook", summary = "Unsubscribe", description = """
            Nothing more is delivered; pending deliveries are cancelled; \
            the delivery log stays readable.""")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such subscription of the caller")
    public Uni<Response> delete(@PathParam("id") UUID id, SecurityContext security) {
        return webhooks.delete(id, requester(security)).replaceWith(Response.noContent().build());
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(operationId = "listWebhookDeliveries", summary = "The delivery log of a subscription, newest first", description = """
            Each delivery with its \
            state (PENDING, DELIVERED, CANCELLED) and every attempt: when, HTTP status, error, duration. Pages by \
            cursor: pass `next` as `after`.""")
    @APIResponse(responseCode = "200", description = "A page of deliveries", content = @Content(schema = @Schema(implementation = DeliveryPage.class)))
    @APIResponse(responseCode = "404", description = "No such subscription of the caller")
    public Uni<DeliveryPage> deliveries(@PathParam("id") UUID id, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit, SecurityContext security) {
        Long before = null;
        if (after != null) {
            try {
                before = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("'after' is not a cursor this list returned");
            }
        }
        return webhooks.deliveries(id, requester(security), before, limit + 1).map(found -> {
            List<DeliveryView> items = found.stream().limit(limit).map(DeliveryView::of).toList();
            return new DeliveryPage(items, found.size() > limit ? String.valueOf(items.get(items.size() - 1).id()) : null);
        });
    }

    private static WebhookService.Requester requester(SecurityContext security) {
        return new WebhookService.Requester(security.getUserPrincipal().getName(), security.isUserInRole(Roles.ADMIN));
    }
}
