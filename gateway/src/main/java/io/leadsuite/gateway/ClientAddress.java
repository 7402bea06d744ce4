package io.leadsuite.gateway;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The address of the client behind the edge. Forwarding headers ({@code Forwarded: for=...}, else
 * {@code X-Forwarded-For}) are read only when the connection comes from a trusted proxy, and then from the right: each
 * proxy appends the address it received the request from, so the rightmost address that is not itself a trusted proxy
 * is the client; anything left of it was written by the client and may be forged. With no trusted proxies (the
 * default) the socket's peer is the client. The socket's peer is read from the connection, not from a request that
 * Quarkus' own forwarding support may have rewritten from the leftmost (forgeable) entry.
 */
final class ClientAddress {

    /** One trusted network: an address and the number of leading bits that must match. */
    record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            String value = text.trim();
            int slash = value.indexOf('/');
            String host = slash < 0 ? value : value.substring(0, slash);
            byte[] address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("Not an IP address or CIDR: " + text);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(value.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Not a CIDR prefix length: " + text, e);
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("Prefix length out of range: " + text);
                }
            }
            return new Cidr(address, bits);
        }

        boolean contains(byte[] address) {
            if (address == null || address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> trusted;

    ClientAddress(List<String> trustedProxies) {
        List<Cidr> parsed = new ArrayList<>();
        for (String entry : trustedProxies) {
            if (!entry.isBlank()) {
                parsed.add(Cidr.parse(entry));
            }
        }
        this.trusted = List.copyOf(parsed);
    }

    /** The client's address for rate limits: see the class comment. */
    String of(HttpServerRequest request) {
        return of(request.connection() == null ? request.remoteAddress() : request.connection().remoteAddress(),
                request.headers());
    }

    /** The client's address, given the socket's peer and the request's headers. */
    String of(SocketAddress peer, MultiMap headers) {
        String socket = peer == null || peer.hostAddress() == null ? "unknown" : peer.hostAddress();
        if (trusted.isEmpty() || !isTrusted(socket)) {
            return socket;
        }
        List<String> hops = hops(headers);
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (literal(hop) == null) {
                // not an address (unknown, an obfuscated name, garbage): nothing left of it can be believed
                return i == hops.size() - 1 ? socket : hops.get(i + 1);
            }
            if (!isTrusted(hop)) {
                return canonical(hop);
            }
        }
        // every hop is a trusted proxy: the leftmost one is as far as we can see
        return hops.isEmpty() ? socket : canonical(hops.get(0));
    }

    private boolean isTrusted(String address) {
        byte[] bytes = literal(address);
        for (Cidr cidr : trusted) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The forwarded addresses, leftmost (the client's claim) first: from {@code Forwarded}, else X-Forwarded-For. */
    static List<String> hops(MultiMap headers) {
        List<String> hops = new ArrayList<>();
        List<String> forwarded = headers.getAll("Forwarded");
        if (!forwarded.isEmpty()) {
            for (String header : forwarded) {
                for (String element : header.split(",")) {
                    for (String pair : element.split(";")) {
                        String[] kv = pair.trim().split("=", 2);
                        if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("for")) {
                            hops.add(forwardedNode(kv[1].trim()));
                        }
                    }
                }
            }
            return hops;
        }
        for (String header : headers.getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.trim());
                }
            }
        }
        return hops;
    }

    /** RFC 7239 node: {@code 192.0.2.1}, {@code "192.0.2.1:4711"}, {@code "[2001:db8::1]:4711"}. */
    private static String forwardedNode(String value) {
        String node = value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                ? value.substring(1, value.length() - 1)
                : value;
        if (node.startsWith("[")) {
            int end = node.indexOf(']');
            return end < 0 ? node : node.substring(1, end);
        }
        int colon = node.indexOf(':');
        return colon >= 0 && node.indexOf(':', colon + 1) < 0 ? node.substring(0, colon) : node;
    }

    private static String canonical(String address) {
        try {
            return InetAddress.getByAddress(literal(address)).getHostAddress();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    /** The bytes of an IPv4 or IPv6 literal, or null: never a DNS look-up. */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        String value = text.toLowerCase(Locale.ROOT);
        if (value.indexOf(':') >= 0) {
            if (!value.matches("[0-9a-f:.]+")) {
                return null;
            }
        } else if (!value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return null;
        } else {
            for (String part : value.split("\\.")) {
                if (new BigInteger(part).intValue() > 255) {
                    return null;
                }
            }
        }
        try {
            // a literal is parsed, never resolved
            return InetAddress.getByName(value).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
