package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

/**
 * The client address for the public routes' rate limits: the socket's peer unless it is a trusted proxy, then the
 * rightmost forwarded address that is not a trusted proxy (what the visitor wrote at the left is never believed).
 */
class ClientAddressTest {

    private static String address(List<String> trusted, String header, String value) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (header != null) {
            headers.add(header, value);
        }
        return new ClientAddress(trusted).of(SocketAddress.inetSocketAddress(40000, "127.0.0.1"), headers);
    }

    @Test
    void withoutTrustedProxiesTheSocketIsTheClientWhateverTheHeadersSay() {
        assertEquals("127.0.0.1", address(List.of(), "X-Forwarded-For", "198.51.100.1"));
        assertEquals("127.0.0.1", address(List.of(), "Forwarded", "for=198.51.100.1"));
    }

    @Test
    void aConnectionFromAnUntrustedAddressKeepsItsOwnAddress() {
        assertEquals("127.0.0.1", address(List.of("10.0.0.0/8"), "X-Forwarded-For", "198.51.100.1"));
    }

    @Test
    void behindATrustedProxyTheRightmostUntrustedAddressIsTheClient() {
        List<String> edge = List.of("127.0.0.0/8", "10.1.0.0/16");
        assertEquals("198.51.100.1", address(edge, "X-Forwarded-For", "198.51.100.1"));
        // the visitor's forged entry at the left is ignored; a second trusted hop (10.1.2.3) is skipped
        assertEquals("198.51.100.1", address(edge, "X-Forwarded-For", "6.6.6.6, 198.51.100.1, 10.1.2.3"));
        assertEquals("2001:db8:0:0:0:0:0:7", address(edge, "Forwarded", "for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https"));
        assertEquals("198.51.100.2", address(edge, "Forwarded", "for=198.51.100.2:1234"));
        // no header: the proxy itself
        assertEquals("127.0.0.1", address(edge, null, null));
        // garbage next to the proxy: nothing left of it is believed
        assertEquals("127.0.0.1", address(edge, "X-Forwarded-For", "198.51.100.1, unknown"));
    }

    @Test
    void cidrsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("example.com")));
        ClientAddress.Cidr cidr = ClientAddress.Cidr.parse("192.168.16.0/20");
        assertEquals(true, cidr.contains(ClientAddress.literal("192.168.31.255")));
        assertEquals(false, cidr.contains(ClientAddress.literal("192.168.32.0")));
        assertEquals(false, cidr.contains(ClientAddress.literal("2001:db8::1")));
    }
}
