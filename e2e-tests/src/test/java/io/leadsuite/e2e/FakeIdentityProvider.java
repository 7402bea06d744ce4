package io.leadsuite.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.leadsuite.kit.testing.TestTokens;

/**
 * A minimal OpenID Connect provider for the console's sign-in test: discovery, an authorisation endpoint that signs
 * in one user at once (as a provider with a running session does) and a token endpoint that redeems each code once,
 * for the redirect URI and client it was issued to, and only with the PKCE verifier whose S256 challenge came with the
 * authorisation request. Its access tokens are signed with the suite's test key and issuer, as a cluster's gateway
 * and services would trust its real provider's.
 */
final class FakeIdentityProvider implements AutoCloseable {

    /** An authorisation request as it came, and what the token endpoint made of its code. */
    record Grant(String clientId, String redirectUri, String challenge, String method, String scope) {
    }

    private final HttpServer server;
    private final String clientId;
    private final String user;
    private final String[] roles;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    final List<Grant> authorised = new CopyOnWriteArrayList<>();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final List<String> redeemed = new CopyOnWriteArrayList<>();

    FakeIdentityProvider(String clientId, String user, String... roles) throws IOException {
        this.clientId = clientId;
        this.user = user;
        this.roles = roles;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        json(exchange, 200, "{\"issuer\": \"" + issuer() + "\", \"authorization_endpoint\": \"" + issuer()
                + "/authorize\", \"token_endpoint\": \"" + issuer() + "/token\", \"response_types_supported\": "
                + "[\"code\"], \"code_challenge_methods_supported\": [\"S256\"]}");
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        Grant grant = new Grant(q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge"),
                q.get("code_challenge_method"), q.get("scope"));
        authorised.add(grant);
        if (!clientId.equals(grant.clientId()) || !"code".equals(q.get("response_type")) || grant.redirectUri() == null
                || grant.challenge() == null || !"S256".equals(grant.method())) {
            refusals.add("authorize: " + q);
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, grant);
        exchange.getResponseHeaders().add("Location", grant.redirectUri() + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(q.getOrDefault("state", ""), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private void token(HttpExchange exchange) throws IOException {
        if ("OPTIONS".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "POST");
            exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type, Accept");
            json(exchange, 204, null);
            return;
        }
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = f.get("code") == null ? null : codes.remove(f.get("code"));
        String problem = grant == null ? "unknown or used code"
                : !"authorization_code".equals(f.get("grant_type")) ? "grant_type"
                        : !grant.clientId().equals(f.get("client_id")) ? "client_id"
                                : !grant.redirectUri().equals(f.get("redirect_uri")) ? "redirect_uri"
                                        : f.get("code_verifier") == null
                                                || !grant.challenge().equals(s256(f.get("code_verifier")))
                                                        ? "code_verifier does not match the challenge"
                                                        : null;
        if (problem != null) {
            refusals.add("token: " + problem);
            json(exchange, 400, "{\"error\": \"invalid_grant\", \"error_description\": \"" + problem + "\"}");
            return;
        }
        redeemed.add(f.get("code"));
        String token = TestTokens.mint(user, TestTokens.ISSUER, 600, TestTokens.privateKey(), roles);
        json(exchange, 200, "{\"access_token\": \"" + token + "\", \"token_type\": \"Bearer\", \"expires_in\": 600}");
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    /** A JSON answer the console (another origin) may read: the provider admits it by CORS. */
    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
