package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A form site whose origin CORS does not admit is named at start-up: browsers on it can never post its form. */
class FormSiteOriginsTest {

    private static final Map<String, String> SITES = Map.of("shop", "https://shop.example.com");

    @Test
    void aSiteWhoseOriginCorsDoesNotListIsNamed() {
        List<String> warnings = FormCaptures.unreachable(SITES, List.of("http://localhost:3000"));
        assertEquals(List.of("Form site shop is served from https://shop.example.com, which "
                + "leadsuite.gateway.cors-origins does not list: browsers cannot post its form"), warnings);
        assertEquals(1, FormCaptures.unreachable(SITES, List.of("https://shop.example.com.evil.com")).size());
        assertEquals(1, FormCaptures.unreachable(SITES, List.of("/https://other\\.example\\.com/")).size());
        // Quarkus compares letter for letter, and browsers send the host in lower case
        assertEquals(1, FormCaptures.unreachable(SITES, List.of("HTTPS://Shop.Example.com")).size());
    }

    @Test
    void aSiteCorsAdmitsIsNotNamed() {
        assertEquals(List.of(), FormCaptures.unreachable(SITES, List.of("http://localhost:3000", " https://shop.example.com")));
        assertEquals(List.of(), FormCaptures.unreachable(Map.of("shop", "HTTPS://Shop.Example.com"),
                List.of("https://shop.example.com")));
        assertEquals(List.of(), FormCaptures.unreachable(SITES, List.of("*")));
        assertEquals(List.of(), FormCaptures.unreachable(SITES, List.of("/https://[a-z]+\\.example\\.com/")));
        assertEquals(List.of(), FormCaptures.unreachable(Map.of(), List.of("http://localhost:3000")));
    }
}
