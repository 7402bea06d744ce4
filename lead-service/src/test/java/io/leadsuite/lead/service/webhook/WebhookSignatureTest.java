package io.leadsuite.lead.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final String SECRET = "whsec_test_0123456789";
    private static final String BODY = "{\"id\":\"e-1\",\"type\":\"lead.sales-ready\"}";

    @Test
    void theHeaderIsTimestampAndHmacOfTimestampDotBody() {
        // computed independently: printf '1700000000.{"id":"e-1","type":"lead.sales-ready"}' | openssl dgst -sha256 -hmac whsec_test_0123456789
        String header = WebhookSignature.header(SECRET, 1_700_000_000L, BODY);
        assertEquals("t=1700000000,v1=2d78c26ed95c3f90f7db9ecfa65436d6b17cf60955e016b8742ba2d614179cf6", header);
        assertTrue(WebhookSignature.verify(SECRET, header, BODY, 1_700_000_010L, 300));
    }

    @Test
    void aChangedBodySecretOrTimestampOrAStaleHeaderFailsVerification() {
        String header = WebhookSignature.header(SECRET, 1_700_000_000L, BODY);
        assertFalse(WebhookSignature.verify(SECRET, header, BODY + " ", 1_700_000_000L, 300));
        assertFalse(WebhookSignature.verify(SECRET + "x", header, BODY, 1_700_000_000L, 300));
        assertFalse(WebhookSignature.verify(SECRET, header.replace("t=1700000000", "t=1700000001"), BODY,
                1_700_000_000L, 300));
        assertFalse(WebhookSignature.verify(SECRET, header, BODY, 1_700_000_301L, 300), "replayed too late");
        assertFalse(WebhookSignature.verify(SECRET, null, BODY, 1_700_000_000L, 300));
        assertFalse(WebhookSignature.verify(SECRET, "garbage", BODY, 1_700_000_000L, 300));
    }

    @Test
    void privateLoopbackLinkLocalAndMulticastTargetsAreRefused() throws Exception {
        for (String ip : new String[] { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "::1", "fd00::1",
                "100.64.0.1" }) {
            InetAddress[] address = { InetAddress.getByName(ip) };
            assertTrue(TargetGuard.refusal("h", address, false).isPresent(), ip);
            assertFalse(TargetGuard.refusal("h", address, true).isPresent(), ip + " allowed when configured");
        }
        for (String ip : new String[] { "169.254.169.254", "fe80::1", "224.0.0.1", "0.0.0.0", "255.255.255.255" }) {
            assertTrue(TargetGuard.refusal("h", new InetAddress[] { InetAddress.getByName(ip) }, true).isPresent(),
                    ip + " refused even when private targets are allowed");
        }
        assertFalse(TargetGuard.refusal("h", new InetAddress[] { InetAddress.getByName("93.184.216.34") }, false)
                .isPresent());
        // one private address among public ones is enough to refuse (DNS answers may be mixed)
        assertTrue(TargetGuard.refusal("h", new InetAddress[] { InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("10.0.0.1") }, false).isPresent());
        assertTrue(TargetGuard.refusal("h", new InetAddress[0], true).isPresent(), "a name that does not resolve");
        assertTrue(TargetGuard.malformed("ftp://example.com/x", false).isPresent());
        assertTrue(TargetGuard.malformed("https://user:pw@example.com/x", false).isPresent());
        assertTrue(TargetGuard.malformed("not a url", false).isPresent());
        assertFalse(TargetGuard.malformed("https://crm.example.com/hooks?x=1", false).isPresent());
    }

    @Test
    void backOffDoublesFromTheInitialWaitUpToTheCap() {
        Duration initial = Duration.ofSeconds(2);
        Duration max = Duration.ofMinutes(10);
        assertEquals(Duration.ofSeconds(2), WebhookDeliveryWorker.backoff(initial, max, 1));
        assertEquals(Duration.ofSeconds(4), WebhookDeliveryWorker.backoff(initial, max, 2));
        assertEquals(Duration.ofSeconds(16), WebhookDeliveryWorker.backoff(initial, max, 4));
        assertEquals(max, WebhookDeliveryWorker.backoff(initial, max, 12));
        assertEquals(max, WebhookDeliveryWorker.backoff(initial, max, 1000));
    }
}
