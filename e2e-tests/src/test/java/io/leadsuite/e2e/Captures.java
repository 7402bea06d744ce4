package io.leadsuite.e2e;

import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A capture as a web form sends it: with an Idempotency-Key, and sent again with the same key while the gateway
 * answers 502, 503 or 504, as clients are told to (the box is shared; the first calls after start-up can be slow). A
 * retry gets the first answer: nothing is created twice.
 */
final class Captures {

    private static final int ATTEMPTS = 6;

    private Captures() {
    }

    static Response post(Supplier<RequestSpecification> gateway, Map<String, Object> body) {
        String key = UUID.randomUUID().toString();
        Response response = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            response = gateway.get().header("Idempotency-Key", key).body(body).post("/api/captures");
            int status = response.statusCode();
            if (status != 502 && status != 503 && status != 504) {
                break;
            }
        }
        return response;
    }
}
