package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/** Clients speaking HTTP/2 (cleartext, prior knowledge) stream bodies of unknown length through as well. */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class Http2ClientTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void streamsABodyOfUnknownLengthFromAnHttp2Client() throws Exception {
        byte[] body = new byte[512 * 1024 + 3];
        new Random(3).nextBytes(body);
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false));
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(gateway.getHost())
                    .setPort(gateway.getPort()).setURI("/api/interactions")
                    .putHeader("Authorization", "Bearer " + TestTokens.forRoles("marketing"));
            JsonObject echo = client.request(options).compose(request -> {
                request.setChunked(true);
                for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                    request.write(Buffer.buffer(body).getBuffer(offset, Math.min(body.length, offset + 64 * 1024)));
                }
                request.end();
                return request.response();
            }).compose(response -> {
                assertEquals(HttpVersion.HTTP_2, response.version());
                assertEquals(200, response.statusCode());
                return response.body();
            }).map(Buffer::toJsonObject).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals("scoring-service", echo.getString("service"));
            assertEquals(body.length, echo.getInteger("bodyLength"));
            assertEquals(FakeUpstreams.sha256(body), echo.getString("bodySha256"));

            JsonObject get = client.request(new RequestOptions().setHost(gateway.getHost()).setPort(gateway.getPort())
                    .setURI("/api/leads/l-1").putHeader("Authorization", "Bearer " + TestTokens.forRoles("sales")))
                    .compose(request -> request.send()).compose(response -> response.body()).map(Buffer::toJsonObject)
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals("GET", get.getString("method"));
            assertEquals(0, get.getInteger("bodyLength"));
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
