package io.leadsuite.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Routing, headers and bodies through the gateway, against the fake upstreams of {@link FakeUpstreams}. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class GatewayProxyTest {

    static final String ADMIN = TestTokens.forRoles("admin");
    static final String MARKETING = TestTokens.forRoles("marketing");
    static final String CRM = TestTokens.forRoles("crm");
    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @TestHTTPResource("/")
    URL gateway;

    @ConfigProperty(name = "leadsuite.gateway.upstreams.lead-service")
    String leadService;

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "POST, /api/captures,                          lead-service,    /captures",
            "GET,  /api/leads,                             lead-service,    /leads",
            "GET,  /api/leads?stage=INQUIRY&limit=5,       lead-service,    /leads?stage=INQUIRY&limit=5",
            "GET,  /api/leads/funnel,                      lead-service,    /leads/funnel",
            "GET,  /api/leads/l-1/history,                 lead-service,    /leads/l-1/history",
            "POST, /api/leads/l-1/transitions,             lead-service,    /leads/l-1/transitions",
            "GET,  /api/leads/l-1/scoresheet,              lead-service,    /leads/l-1/scoresheet",
            "PUT,  /api/flows/marketing-lead,              lead-service,    /flows/marketing-lead",
            "GET,  /api/crm/x,                             lead-service,    /crm/x",
            "POST, /api/crm/leads/l-1/accept,              lead-service,    /crm/leads/l-1/accept",
            "GET,  /api/contacts,                          contact-service, /contacts",
            "GET,  /api/contacts?email=a%40b.com,          contact-service, /contacts?email=a%40b.com",
            "PATCH,/api/contacts/c-1,                      contact-service, /contacts/c-1",
            "DELETE,/api/contacts/c-1,                     contact-service, /contacts/c-1",
            "POST, /api/interactions,                      scoring-service, /interactions",
            "GET,  /api/scoring/models,                    scoring-service, /scoring/models",
            "POST, /api/scoring/models/m-1/publish,        scoring-service, /scoring/models/m-1/publish",
            "GET,  /api/leads/l-1/scores,                  scoring-service, /leads/l-1/scores",
            "GET,  /api/leads/l-1/scores/m-1/explanation,  scoring-service, /leads/l-1/scores/m-1/explanation",
    })
    void routesEachGroupToItsService(String method, String path, String service, String upstreamUri) {
        given().auth().oauth2(ADMIN).urlEncodingEnabled(false).body("{}").contentType("application/json")
                .request(method, path)
                .then().statusCode(200)
                .body("service", equalTo(service))
                .body("method", equalTo(method))
                .body("uri", equalTo(upstreamUri));
    }

    @Test
    void forwardsTheAuthorizationHeaderAndOtherHeaders() {
        given().auth().oauth2(CRM).header("Accept-Language", "pt-PT").header("If-Match", "\"3\"")
                .header("Proxy-Authorization", "Basic c2VjcmV0").header("TE", "trailers")
                .get("/api/crm/leads/sales-ready")
                .then().statusCode(200)
                // a proxy always dates what it passes on (RFC 9110 6.6.1)
                .header("Date", matchesPattern("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"))
                .body("headers.authorization", equalTo("Bearer " + CRM))
                .body("headers.accept-language", equalTo("pt-PT"))
                .body("headers.if-match", equalTo("\"3\""))
                .body("headers.host", equalTo(URI.create(leadService).getAuthority()))
                // headers of the client's connection to the gateway stay there
                .body("headers.proxy-authorization", nullValue())
                .body("headers.te", nullValue());
    }

    @Test
    void keepsTheClientsRequestId() {
        given().auth().oauth2(ADMIN).header("X-Request-Id", "abc-123")
                .get("/api/leads/l-1")
                .then().statusCode(200)
                .header("X-Request-Id", "abc-123")
                .body("headers.x-request-id", equalTo("abc-123"));
    }

    @Test
    void addsARequestIdWhenThereIsNoneOrItIsUnsafe() {
        Response response = given().auth().oauth2(ADMIN).get("/api/contacts/c-1");
        response.then().statusCode(200).header("X-Request-Id", matchesPattern(UUID_PATTERN));
        assertEquals(response.header("X-Request-Id"), response.path("headers.x-request-id"));

        Response unsafe = given().auth().oauth2(ADMIN).header("X-Request-Id", "evil\" <script>")
                .get("/api/contacts/c-1");
        unsafe.then().statusCode(200).header("X-Request-Id", matchesPattern(UUID_PATTERN));
        assertEquals(unsafe.header("X-Request-Id"), unsafe.path("headers.x-request-id"));
    }

    @Test
    void streamsAOneMegabyteBodyThroughIntact() {
        byte[] body = new byte[1024 * 1024];
        new Random(42).nextBytes(body);
        given().auth().oauth2(MARKETING).contentType("application/octet-stream").body(body)
                .post("/api/captures")
                .then().statusCode(200)
                .body("service", equalTo("lead-service"))
                .body("bodyLength", equalTo(body.length))
                .body("bodySha256", equalTo(FakeUpstreams.sha256(body)))
                .body("headers.content-length", equalTo(String.valueOf(body.length)));
    }

    @Test
    void streamsAChunkedUploadThroughIntact() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(body);
        HttpRequest request = HttpRequest.newBuilder(gateway.toURI().resolve("/api/interactions"))
                .header("Authorization", "Bearer " + MARKETING)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        io.vertx.core.json.JsonObject echo = new io.vertx.core.json.JsonObject(response.body());
        assertEquals("scoring-service", echo.getString("service"));
        assertEquals(body.length, echo.getInteger("bodyLength"));
        assertEquals(FakeUpstreams.sha256(body), echo.getString("bodySha256"));
        assertEquals("chunked", echo.getJsonObject("headers").getString("transfer-encoding"));
    }

    @Test
    void streamsADownloadThroughIntact() {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < FakeUpstreams.DOWNLOAD_BYTES / 8192; i++) {
            expected.writeBytes(FakeUpstreams.downloadChunk(i));
        }
        byte[] received = given().auth().oauth2(ADMIN).get("/api/leads/download")
                .then().statusCode(200).contentType("application/octet-stream")
                .extract().asByteArray();
        assertArrayEquals(expected.toByteArray(), received);
    }

    @Test
    void passesTheResponseOnBeforeTheUpstreamHasFinishedIt() throws Exception {
        String id = UUID.randomUUID().toString();
        HttpRequest request = HttpRequest.newBuilder(gateway.toURI().resolve("/api/leads/drip?id=" + id))
                .header("Authorization", "Bearer " + ADMIN).build();
        HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request,
                        HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            assertEquals(200, response.statusCode());
            assertEquals("first\n", new String(in.readNBytes(6), StandardCharsets.UTF_8));
            // the upstream holds back the rest for 20 s unless released: a gateway that buffered the answer would
            // have waited for all of it, and the release below would find nothing left to release
            given().baseUri(leadService).get("/_release?id=" + id).then().body("released", equalTo(true));
            assertEquals("last\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void clientsThatHangUpInTheMiddleOfTheirBodyDoNotOpenTheBreaker() throws Exception {
        // 20 clients in a row send half a body, then reset the connection: the proxy resets its upstream request, which
        // is the client's doing, not the service's; counted as failures they opened the breaker (10 calls, half failing)
        for (int i = 0; i < 20; i++) {
            try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                socket.setSoLinger(true, 0);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/captures HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + MARKETING
                        + "\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n{\"email\": \"")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(50);
            }
        }
        given().auth().oauth2(MARKETING).contentType("application/json").body("{\"email\": \"a@b.io\"}")
                .post("/api/captures").then().statusCode(200);
    }

    @Test
    void passesTheRequestOnBeforeTheClientHasFinishedIt() throws Exception {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/leads/upload-probe HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ADMIN
                    + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            writeChunk(out, new byte[1000]);
            // the upstream answers on the first bytes; the client has not finished its body yet
            assertEquals("HTTP/1.1 200 OK", readLine(in));
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                assertTrue(!line.toLowerCase().startsWith("content-length"), line);
            }
            assertEquals("started\n", readChunk(in));
            writeChunk(out, new byte[2000]);
            writeChunk(out, new byte[500]);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals("total=3500\n", readChunk(in));
            assertEquals("", readChunk(in));
        }
    }

    @Test
    void passesStatusHeadersAndProblemBodiesThroughUnchanged() {
        for (int status : new int[] { 400, 404, 409, 412, 422, 500 }) {
            byte[] body = given().auth().oauth2(ADMIN).header("X-Request-Id", "problem-" + status)
                    .get("/api/contacts/c-1/problem?status=" + status)
                    .then().statusCode(status)
                    .contentType("application/problem+json")
                    .header("ETag", "\"v7\"")
                    .header("X-Upstream", "contact-service")
                    .header("X-Request-Id", "problem-" + status)
                    .extract().asByteArray();
            assertEquals(FakeUpstreams.PROBLEM, new String(body, StandardCharsets.UTF_8));
        }
    }

    @Test
    void rewritesALocationOnTheUpstreamIntoTheGatewaysAddressSpace() {
        given().auth().oauth2(ADMIN).redirects().follow(false)
                .post("/api/contacts/created")
                .then().statusCode(201)
                .header("Location", "http://" + gateway.getHost() + ":" + gateway.getPort() + "/api/contacts/c-42?v=1")
                .header("Content-Location", "https://elsewhere.example.com/c-42");
    }

    @Test
    void answersGatewayTimeoutWhenTheUpstreamIsTooSlow() {
        long start = System.nanoTime();
        given().auth().oauth2(ADMIN).header("X-Request-Id", "slow-1")
                .get("/api/leads/slow")
                .then().statusCode(504)
                .contentType("application/problem+json")
                .header("X-Request-Id", "slow-1")
                .body("type", equalTo("https://leadsuite.io/problems/upstream-timeout"))
                .body("title", equalTo("Gateway timeout"))
                .body("status", equalTo(504))
                .body("detail", equalTo("lead-service did not answer within 3000 ms"))
                .body("requestId", equalTo("slow-1"));
        // not before the time-out (a lower bound only: how much later a loaded machine answers is not the point)
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(millis >= 2900, "504 after " + millis + " ms with a 3 s timeout");
        // and the route works again at once
        given().auth().oauth2(ADMIN).get("/api/leads/l-1").then().statusCode(200);
    }

    @Test
    void clientsThatHangUpDoNotOpenTheBreaker() throws Exception {
        // 15 clients ask for a slow answer and hang up before it comes: the proxy cancels the upstream calls, which
        // is not lead-service's fault, so its breaker (10 calls, half failing) stays closed
        List<Socket> sockets = openRequests(ADMIN, "/api/leads/slow", 15);
        Thread.sleep(500);
        close(sockets);
        // the cancellations (or the 3 s time-outs of calls nobody waits for any more) have been recorded
        Thread.sleep(4000);
        leadServiceBreakerClosedAndServing(ADMIN);
    }

    @Test
    void aRequestWhoseClientHangsUpWhileItWaitsForAConnectionIsNotSentOn() throws Exception {
        // a caller of its own (its own rate-limit budget): 64 slow requests take every pooled connection to
        // lead-service, so the five requests after them wait for one; their clients hang up while they wait
        String caller = TestTokens.mint("pool-waiter", TestTokens.ISSUER, 3600, TestTokens.privateKey(), "admin");
        List<Socket> slow = openRequests(caller, "/api/leads/slow", 64);
        try {
            Thread.sleep(500);
            for (int i = 0; i < 5; i++) {
                try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                    socket.setSoLinger(true, 0);
                    socket.getOutputStream().write(("GET /api/leads/l-1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                            + "Bearer " + caller + "\r\nX-Request-Id: gone-while-waiting-" + i + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(100);
                }
            }
        } finally {
            // gone before the gateway's 3 s time-out: not the service's fault, the breaker stays closed
            close(slow);
        }
        // the slow requests time out (3 s after they were sent) and give their connections to the five that waited
        Thread.sleep(3500);
        for (int i = 0; i < 5; i++) {
            given().baseUri(leadService).get("/_seen?requestId=gone-while-waiting-" + i)
                    .then().statusCode(200).body("service", nullValue());
        }
        leadServiceBreakerClosedAndServing(caller);
    }

    @Test
    void clientsThatHangUpDoNotLetMoreRequestsAtAServiceThanItsConnections() throws Exception {
        // 64 clients (lead-service's pooled connections) ask for an answer that takes the service 1.5 s and hang up
        // after 0.3 s; 16 more ask while they are away. The service is still working on the first 64: the next 16
        // must wait for their connections, not be sent on at once (cutting a connection does not stop the work on the
        // other end: a burst of hang-ups would otherwise pile abandoned requests up in the service)
        String caller = TestTokens.mint("pool-bound", TestTokens.ISSUER, 3600, TestTokens.privateKey(), "admin");
        given().baseUri(leadService).get("/_busy").then().statusCode(200);
        List<Socket> gone = openRequests(caller, "/api/leads/busy", 64);
        Thread.sleep(300);
        close(gone);
        Thread.sleep(100);
        HttpClient client = HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            waiting.add(client.sendAsync(HttpRequest.newBuilder(gateway.toURI().resolve("/api/leads/busy"))
                    .header("Authorization", "Bearer " + caller).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (var answer : waiting) {
            assertEquals(200, answer.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
        }
        int most = given().baseUri(leadService).get("/_busy").then().statusCode(200).extract().path("most");
        assertTrue(most <= 64, most + " requests at lead-service at once, with 64 connections");
    }

    private void leadServiceBreakerClosedAndServing(String token) {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("leadsuite_gateway_circuit_open{upstream=\"lead-service\"} 0.0"));
        given().auth().oauth2(token).get("/api/leads/l-1").then().statusCode(200);
    }

    private List<Socket> openRequests(String token, String path, int count) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket(gateway.getHost(), gateway.getPort());
            socket.setSoLinger(true, 0);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            sockets.add(socket);
        }
        return sockets;
    }

    private static void close(List<Socket> sockets) throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void answersNotFoundForUnknownApiPaths() {
        for (String path : new String[] { "/api/unknown", "/api", "/api/", "/api/leadsx", "/api/CRM/x" }) {
            given().auth().oauth2(ADMIN).urlEncodingEnabled(false).get(path)
                    .then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("type", equalTo("https://leadsuite.io/problems/not-found"))
                    .body("title", equalTo("Not found"))
                    .body("status", equalTo(404))
                    .body("detail", not(nullValue()));
        }
    }

    @Test
    void resolvesDotSegmentsBeforeRouting() {
        given().auth().oauth2(ADMIN).urlEncodingEnabled(false).get("/api/leads/../contacts/c-1")
                .then().statusCode(200)
                .body("service", equalTo("contact-service"))
                .body("uri", equalTo("/contacts/c-1"));
        given().auth().oauth2(ADMIN).urlEncodingEnabled(false).get("/api//crm/./x")
                .then().statusCode(200)
                .body("service", equalTo("lead-service"))
                .body("uri", equalTo("/crm/x"));
    }

    @Test
    void leavesOperationsEndpointsOpen() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/captures"));
    }

    @Test
    void metricsNameRouteGroupsNotIds() {
        given().auth().oauth2(ADMIN).get("/api/leads/metrics-id-1").then().statusCode(200);
        given().auth().oauth2(ADMIN).get("/api/leads/metrics-id-2/scores").then().statusCode(200);
        given().get("/api/leads/metrics-id-3").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("uri=\"/api/leads/{id}\""))
                .body(containsString("uri=\"/api/leads/{id}/scores\""))
                .body(not(containsString("metrics-id-")));
    }

    private static void writeChunk(OutputStream out, byte[] data) throws Exception {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static String readChunk(InputStream in) throws Exception {
        int size = Integer.parseInt(readLine(in).trim(), 16);
        String data = new String(in.readNBytes(size), StandardCharsets.UTF_8);
        readLine(in);
        return data;
    }
}
