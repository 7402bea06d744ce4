package io.leadsuite.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * RFC 9457 problem details ({@code application/problem+json}) for the answers the gateway gives itself, in the shape
 * the services use: {@code type, title, status, detail, instance}, plus the {@code requestId}.
 */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Base of the {@code type} URIs this suite uses; each problem kind appends its own name. */
    public static final String TYPE_BASE = "https://leadsuite.io/problems/";

    private Problems() {
    }

    public static Buffer body(String kind, String title, int status, String detail, String instance,
            String requestId) {
        JsonObject problem = new JsonObject()
                .put("type", TYPE_BASE + kind)
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        if (requestId != null) {
            problem.put("requestId", requestId);
        }
        return problem.toBuffer();
    }

    /** Ends {@code response} with a problem, unless it has already been sent. */
    public static void send(HttpServerResponse response, String kind, String title, int status, String detail,
            String instance, String requestId) {
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(body(kind, title, status, detail, instance, requestId));
    }
}
