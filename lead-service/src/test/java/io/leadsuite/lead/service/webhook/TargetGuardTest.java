package io.leadsuite.lead.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.leadsuite.lead.repository.WebhookRepository;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;

class TargetGuardTest {

    private static TargetGuard.Kind kind(String ip) throws Exception {
        return TargetGuard.kind(InetAddress.getByName(ip));
    }

    @Test
    void everySpecialPurposeRangeIsClassified() throws Exception {
        for (String ip : List.of("10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1",
                "127.255.0.9", "100.64.0.1", "100.127.255.254", "::1", "fc00::1", "fd12:3456::1",
                "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:c0a8:101::1")) {
            assertEquals(TargetGuard.Kind.PRIVATE, kind(ip), ip);
        }
        for (String ip : List.of("0.0.0.0", "0.1.2.3", "169.254.169.254", "224.0.0.1", "239.255.255.250",
                "240.0.0.1", "255.255.255.255", "198.18.0.1", "198.19.255.255", "192.0.0.8", "192.0.2.1",
                "198.51.100.7", "203.0.113.9", "192.88.99.1", "::", "fe80::1", "febf::1", "fec0::1", "ff02::1",
                "ff0e::1", "::ffff:169.254.169.254", "::ffff:224.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1",
                "2002:a9fe:a9fe::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1",
                "2001:2::1", "2001:10::1", "3fff::1", "100::1", "::1.2.3.4", "4000::1")) {
            assertEquals(TargetGuard.Kind.SPECIAL, kind(ip), ip);
        }
        for (String ip : List.of("93.184.216.34", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1",
                "198.17.255.255", "198.20.0.1", "2606:4700::1111", "2a00:1450:4001::1", "::ffff:93.184.216.34",
                "64:ff9b::5db8:d822", "2002:5db8:d822::1", "2001:4860:4860::8888")) {
            assertEquals(TargetGuard.Kind.PUBLIC, kind(ip), ip);
        }
    }

    @Test
    void aRefusalNamesTheHostButNeverTheAddress() throws Exception {
        InetAddress[] internal = { InetAddress.getByName("10.20.30.40") };
        String refusal = TargetGuard.refusal("crm.example.com", internal, false).orElseThrow();
        assertTrue(refusal.contains("crm.example.com"), refusal);
        assertFalse(refusal.contains("10.20.30.40"), refusal);
        assertTrue(TargetGuard.refusal("h", new InetAddress[] { InetAddress.getByName("93.184.216.34"),
                InetAddress.getByName("64:ff9b::a9fe:a9fe") }, true).isPresent(), "one special address refuses");
    }

    @Test
    void httpsOnlyWhenRequired() {
        assertTrue(TargetGuard.malformed("http://crm.example.com/hook", true).isPresent());
        assertFalse(TargetGuard.malformed("https://crm.example.com/hook", true).isPresent());
        assertFalse(TargetGuard.malformed("http://crm.example.com/hook", false).isPresent());
        assertTrue(TargetGuard.malformed("ftp://crm.example.com/hook", false).isPresent());
    }

    /**
     * DNS rebinding: the name answers a checked address once and an internal one on every later lookup. The guard
     * resolves once, and the delivery reaches the checked address (the receiver here) without resolving the name again
     * (it does not resolve at all outside this test), with the URL's host as Host header.
     */
    @Test
    void theDeliveryConnectsToTheAddressThatWasCheckedWithoutASecondLookup() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            List<String> hosts = new CopyOnWriteArrayList<>();
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> {
                        hosts.add(request.getHeader("Host"));
                        request.response().setStatusCode(204).endAndForget();
                    })
                    .listen(0, "127.0.0.1").await().atMost(Duration.ofSeconds(10));
            AtomicInteger lookups = new AtomicInteger();
            TargetGuard guard = new TargetGuard(vertx, true, false, host -> lookups.incrementAndGet() == 1
                    ? new InetAddress[] { InetAddress.getByName("127.0.0.1") }
                    : new InetAddress[] { InetAddress.getByName("169.254.169.254") });
            String url = "http://rebinding.invalid:" + server.actualPort() + "/hook";

            TargetGuard.Checked checked = guard.check(url).await().atMost(Duration.ofSeconds(10));
            assertNull(checked.refusal());
            var delivery = new WebhookRepository.Claimed(1, UUID.randomUUID(), "{}", 1, url,
                    "0123456789abcdef", UUID.randomUUID(), UUID.randomUUID());
            int status = vertx.createHttpClient()
                    .request(WebhookDeliveryWorker.request(delivery, checked, Duration.ofSeconds(5), 1_700_000_000L))
                    .chain(request -> request.send(Buffer.buffer(delivery.payload())))
                    .map(response -> response.statusCode())
                    .await().atMost(Duration.ofSeconds(10));

            assertEquals(204, status);
            assertEquals(1, lookups.get(), "one resolution for the check and the connection");
            assertEquals(List.of("rebinding.invalid:" + server.actualPort()), hosts);
        } finally {
            vertx.closeAndAwait();
        }
    }

    @Test
    void theDeliveryLogNamesAFailureCategoryNotItsText() {
        assertEquals("connection refused", WebhookDeliveryWorker.describe(new RuntimeException(
                new ConnectException("Connection refused: /10.0.0.7:8443"))));
        assertEquals("timed out", WebhookDeliveryWorker.describe(new java.util.concurrent.TimeoutException()));
        assertEquals("connection failed", WebhookDeliveryWorker.describe(new IllegalStateException(
                "something about internal-host.cluster.local")));
    }
}
