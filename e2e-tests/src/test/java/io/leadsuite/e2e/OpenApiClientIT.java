package io.leadsuite.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.client.ApiClient;
import io.leadsuite.client.ApiException;
import io.leadsuite.client.api.CapturesApi;
import io.leadsuite.client.api.CrmApi;
import io.leadsuite.client.api.CrmWebhooksApi;
import io.leadsuite.client.api.GatewayApi;
import io.leadsuite.client.api.InteractionsApi;
import io.leadsuite.client.api.LeadsApi;
import io.leadsuite.client.api.ScoresApi;
import io.leadsuite.client.api.ScoringModelsApi;
import io.leadsuite.client.model.CaptureRequest;
import io.leadsuite.client.model.CaptureResult;
import io.leadsuite.client.model.CrmAcceptRequest;
import io.leadsuite.client.model.CrmCloseRequest;
import io.leadsuite.client.model.CrmOpportunityRequest;
import io.leadsuite.client.model.FieldError;
import io.leadsuite.client.model.Interaction;
import io.leadsuite.client.model.InteractionSubmission;
import io.leadsuite.client.model.LeadHistoryEntry;
import io.leadsuite.client.model.LeadHistoryKind;
import io.leadsuite.client.model.LeadSource;
import io.leadsuite.client.model.LeadStatus;
import io.leadsuite.client.model.LeadView;
import io.leadsuite.client.model.ModelScore;
import io.leadsuite.client.model.Outcome;
import io.leadsuite.client.model.Problem;
import io.leadsuite.client.model.RuleHit;
import io.leadsuite.client.model.SalesReadyLead;
import io.leadsuite.client.model.SalesReadyPage;
import io.leadsuite.client.model.ScoreExplanation;
import io.leadsuite.client.model.ScoringModelDefinition;
import io.leadsuite.client.model.ScoringModelPage;
import io.leadsuite.client.model.WebhookSubscription;
import io.leadsuite.client.model.WebhookSubscriptionRequest;
import io.leadsuite.kit.testing.TestTokens;

/**
 * A frontend and a CRM written against the published client (module api-client, generated from the combined OpenAPI
 * document) and nothing else: no hand-written HTTP, no JSON read by hand. A capture, interactions until the lead is
 * sales-ready, its history, scores and explanation; the CRM's feed, accept, opportunity and close; a webhook
 * subscription; and the error paths as typed problems. Every answer is parsed into the generated models, so a
 * document that disagrees with the services (a missing or wrong schema, a wrong media type, an enum value the
 * document does not list) fails here; and the document the client was generated from must be the one the running
 * gateway serves.
 */
class OpenApiClientIT {

    private static Suite suite;
    private static ApiClient marketing;
    private static ApiClient crm;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = new Suite();
        suite.startAll();
        marketing = client(TestTokens.forRoles("marketing"));
        crm = client(TestTokens.forRoles("crm"));
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    /** The generated client on the gateway, with a bearer token on every request. */
    private static ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + Suite.GATEWAY);
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    @Test
    void theGatewayServesTheDocumentTheClientWasGeneratedFrom() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> built;
        try (InputStream in = ApiClient.class.getResourceAsStream("/META-INF/leadsuite/openapi.json")) {
            assertNotNull(in, "api-client ships the document it was generated from");
            built = json.readValue(in, new TypeReference<Map<String, Object>>() {
            });
        }
        Map<String, Object> served = json.convertValue(new GatewayApi(marketing).combinedOpenApi(),
                new TypeReference<Map<String, Object>>() {
                });
        assertEquals(List.of(), served.get("x-missing-services"), "every service answered");
        List<String> differences = new ArrayList<>();
        diff("", built, served, differences);
        assertTrue(differences.isEmpty(), "the running suite's /api/openapi differs from the document the client was "
                + "generated from (rebuild api-client):\n" + String.join("\n", differences));
    }

    /** The JSON pointers at which {@code a} and {@code b} differ (at most a few dozen, for the message). */
    private static void diff(String at, Object a, Object b, List<String> into) {
        if (into.size() > 40 || Objects.equals(a, b)) {
            return;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            TreeSet<String> keys = new TreeSet<>();
            x.keySet().forEach(k -> keys.add((String) k));
            y.keySet().forEach(k -> keys.add((String) k));
            keys.forEach(k -> diff(at + "/" + k, x.get(k), y.get(k), into));
        } else {
            into.add(at + ": built " + a + ", served " + b);
        }
    }

    @Test
    void aFrontendAndACrmRunTheCaptureToCloseFlowWithTheGeneratedClientAlone() {
        // capture: a web-form submission
        String email = "openapi." + UUID.randomUUID() + "@example.com";
        CaptureResult captured = new CapturesApi(marketing).capture(new CaptureRequest().email(email).firstName("Ana")
                .lastName("Silva").company("Acme").jobTitle("IT Director").country("PT").topic("solar-panels")
                .source(LeadSource.MARKETING_FORM).sourceRef("form-42").consent(true), UUID.randomUUID().toString());
        assertTrue(captured.getLeadCreated() && captured.getContactCreated(), captured.toString());
        UUID leadId = captured.getLeadId();
        LeadsApi leads = new LeadsApi(marketing);
        LeadView lead = leads.getLead(leadId);
        assertEquals(captured.getContactId(), lead.getContactId());
        assertEquals(LeadSource.MARKETING_FORM, lead.getSource());
        assertEquals(LeadStatus.OPEN, lead.getStatus());

        // the capture counts as FORM_SUBMITTED; then interactions until the published model's threshold
        await().atMost(Duration.ofSeconds(30)).until(() -> !leads.getLead(leadId).getScores().isEmpty());
        int afterCapture = leads.getLead(leadId).getScores().get(0).getScore();
        ScoringModelPage models = new ScoringModelsApi(marketing).listScoringModels();
        ScoringModel published = ScoringModel.of(marketing.getObjectMapper().convertValue(models.getItems().stream()
                .filter(m -> "PUBLISHED".equals(m.getStatus().getValue())).findFirst().orElseThrow(),
                new TypeReference<Map<String, Object>>() {
                }));
        int clicks = published.interactionsToReach("EMAIL_CLICKED", published.threshold - afterCapture);
        List<Interaction> batch = new ArrayList<>();
        for (int i = 0; i < clicks; i++) {
            batch.add(new Interaction().id("openapi-" + UUID.randomUUID()).type("EMAIL_CLICKED")
                    .contactId(captured.getContactId()).occurredAt(OffsetDateTime.now())
                    .attributes(Map.of("campaign", "openapi-client")));
        }
        InteractionSubmission submitted = new InteractionsApi(marketing).submitInteractions(batch);
        assertEquals(clicks, submitted.getAccepted().size(), submitted.toString());
        assertTrue(submitted.getRejected().isEmpty(), submitted.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> Boolean.TRUE.equals(leads.getLead(leadId).getSalesReady()));
        LeadView ready = leads.getLead(leadId);
        assertEquals(LeadView.SalesReadyByEnum.SCORE, ready.getSalesReadyBy());
        assertEquals("TELEPROSPECTING_ACCEPTANCE", ready.getStage());

        // history, scores and the explanation behind the score
        List<LeadHistoryEntry> history = leads.getLeadHistory(leadId, null, 200).getItems();
        assertTrue(history.stream().anyMatch(e -> e.getKind() == LeadHistoryKind.CREATED), history.toString());
        assertTrue(history.stream().anyMatch(e -> e.getKind() == LeadHistoryKind.STAGE_CHANGED
                && "TELEPROSPECTING_ACCEPTANCE".equals(e.getTo())), history.toString());
        ScoresApi scores = new ScoresApi(marketing);
        ModelScore score = scores.getLeadScores(leadId).get(0);
        assertTrue(score.getSalesReady() && score.getScore() >= published.threshold, score.toString());
        ScoreExplanation explanation = scores.getScoreExplanation(leadId, score.getModelId());
        assertEquals(score.getScore(), explanation.getHits().stream().mapToInt(RuleHit::getPoints).sum(),
                explanation.toString());

        // the CRM: the feed (paged by its cursor), accept, opportunity, close
        CrmApi crmApi = new CrmApi(crm);
        SalesReadyLead fed = null;
        String after = null;
        do {
            SalesReadyPage page = crmApi.getSalesReadyFeed(after, 50);
            for (SalesReadyLead item : page.getItems()) {
                if (leadId.equals(item.getLead().getId())) {
                    fed = item;
                }
            }
            after = page.getNext();
        } while (fed == null && after != null);
        assertNotNull(fed, "the sales-ready lead is in the CRM's feed");
        assertEquals(email, fed.getContact().getEmail());
        LeadView accepted = crmApi.crmAcceptLead(leadId, new CrmAcceptRequest().crmLeadId("00Q5e00000AbCdE")
                .owner("maria"));
        assertEquals(LeadStatus.ACCEPTED, accepted.getStatus());
        assertEquals("00Q5e00000AbCdE", accepted.getCrm().getLeadId());
        LeadView converted = crmApi.crmReportOpportunity(leadId, new CrmOpportunityRequest()
                .opportunityId("0065e00000XyZ12").estimatedRevenue(new BigDecimal("12500.00"))
                .estimatedClose(LocalDate.parse("2027-02-28")));
        assertEquals(LeadStatus.CONVERTED, converted.getStatus());
        LeadView won = crmApi.crmCloseLead(leadId, new CrmCloseRequest().outcome(Outcome.WON)
                .revenue(new BigDecimal("11800.00")).reason("Signed"));
        assertEquals(LeadStatus.WON, won.getStatus());
        assertEquals(0, new BigDecimal("11800.00").compareTo(won.getCrm().getRevenue()));

        // a webhook subscription, read back, its (empty) delivery log, and unsubscribed
        CrmWebhooksApi webhooks = new CrmWebhooksApi(crm);
        WebhookSubscription subscription = webhooks.createWebhook(new WebhookSubscriptionRequest()
                .url("http://localhost:9/openapi-client").secret("whsec_" + UUID.randomUUID())
                .events(List.of("lead.sales-ready")));
        assertEquals(subscription.getUrl(), webhooks.getWebhook(subscription.getId()).getUrl());
        assertTrue(webhooks.listWebhooks().getItems().stream().anyMatch(s -> s.getId().equals(subscription.getId())));
        assertNotNull(webhooks.listWebhookDeliveries(subscription.getId(), null, 10).getItems());
        webhooks.deleteWebhook(subscription.getId());
        Problem gone = problem(crm, () -> webhooks.getWebhook(subscription.getId()), 404);
        assertEquals(404, gone.getStatus());
    }

    @Test
    void errorsAreTypedProblemsWithFieldErrors() {
        Problem missing = problem(marketing, () -> new LeadsApi(marketing).getLead(UUID.randomUUID()), 404);
        assertEquals(404, missing.getStatus());
        assertNotNull(missing.getTitle());

        Problem invalid = problem(marketing, () -> new CapturesApi(marketing).capture(new CaptureRequest().email(" ")
                .topic("solar panels!").source(LeadSource.MARKETING_FORM), null), 422);
        assertEquals(422, invalid.getStatus());
        List<String> fields = invalid.getErrors().stream().map(FieldError::getField).toList();
        assertTrue(fields.contains("email") && fields.contains("topic"), invalid.toString());
        assertTrue(invalid.getErrors().stream().allMatch(e -> e.getMessage() != null && !e.getMessage().isBlank()));

        Problem wrongModel = problem(marketing, () -> new ScoringModelsApi(marketing).createScoringModel(
                new ScoringModelDefinition().name("openapi-client draft")), 422);
        assertTrue(wrongModel.getErrors().stream().anyMatch(e -> "salesReadyThreshold".equals(e.getField())),
                wrongModel.toString());

        Problem forbidden = problem(marketing, () -> new CrmApi(marketing).getSalesReadyFeed(null, 1), 403);
        assertEquals(403, forbidden.getStatus());
    }

    @Test
    void aClientAcceptingOnlyOneOfTheTwoJsonTypesIsNotRefused() {
        UUID leadId = new CapturesApi(marketing).capture(new CaptureRequest()
                .email("accept." + UUID.randomUUID() + "@example.com").topic("heat-pumps")
                .source(LeadSource.MARKETING_FORM), null).getLeadId();
        for (String accept : List.of("application/problem+json", "application/json")) {
            ApiClient narrow = client(TestTokens.forRoles("marketing"));
            java.util.function.Consumer<java.net.http.HttpRequest.Builder> token = narrow.getRequestInterceptor();
            narrow.setRequestInterceptor(request -> {
                token.accept(request);
                request.setHeader("Accept", accept);
            });
            assertEquals(leadId, new LeadsApi(narrow).getLead(leadId).getId(), accept);
            Problem missing = problem(narrow, () -> new LeadsApi(narrow).getLead(UUID.randomUUID()), 404);
            assertEquals(404, missing.getStatus(), accept);
        }
    }

    /** The problem of a call that must fail with {@code status}, read into the generated {@link Problem}. */
    private static Problem problem(ApiClient client, Runnable call, int status) {
        ApiException e = assertThrows(ApiException.class, call::run);
        assertEquals(status, e.getCode(), e.getResponseBody());
        assertTrue(e.getResponseHeaders().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                e.getResponseHeaders().map().toString());
        try {
            return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
        } catch (IOException notAProblem) {
            throw new AssertionError("not a problem document: " + e.getResponseBody(), notAProblem);
        }
    }
}
