package io.leadsuite.lead.service.webhook;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leadsuite.lead.config.WebhookConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Server-side request forgery guard for webhook targets. A URL must be https (http only where
 * {@code leadsuite.webhooks.require-https} is off: tests, local runs), without user info or fragment, and its host must
 * resolve only to public unicast addresses. Loopback and private ranges are admitted when
 * {@code leadsuite.webhooks.allow-private-targets} is on; every other special-purpose range never is (see
 * {@link #kind}). The name is resolved once per check and the delivery connects to the address that was checked
 * ({@link Checked#address()}, the URL's host still sent as Host and TLS server name), so a name that resolves
 * differently a moment later (DNS rebinding) cannot move a delivery to an address that was not checked. Checked when a
 * subscription is made and again before every delivery. A refusal names the host, never the address it resolved to.
 */
@ApplicationScoped
public class TargetGuard {

    private static final Logger LOG = Logger.getLogger(TargetGuard.class);

    /** A host name's addresses ({@link InetAddress#getAllByName} in production). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The outcome of a check: why the target is refused, or the one address a delivery connects to. */
    public record Checked(String refusal, InetSocketAddress address) {
        static Checked refused(String why) {
            return new Checked(why, null);
        }
    }

    /** How a destination address may be used. */
    enum Kind {
        PUBLIC,
        /** loopback and private networks: admitted only with allow-private-targets */
        PRIVATE,
        /** link-local, multicast, documentation, benchmarking, reserved, tunnels to elsewhere: never */
        SPECIAL
    }

    private final Vertx vertx;
    private final boolean allowPrivate;
    private final boolean requireHttps;
    private final Resolver resolver;

    @Inject
    public TargetGuard(Vertx vertx, WebhookConfig config) {
        this(vertx, config.allowPrivateTargets(), config.requireHttps(), InetAddress::getAllByName);
    }

    TargetGuard(Vertx vertx, boolean allowPrivate, boolean requireHttps, Resolver resolver) {
        this.vertx = vertx;
        this.allowPrivate = allowPrivate;
        this.requireHttps = requireHttps;
        this.resolver = resolver;
    }

    /** Why the URL's form is not acceptable, or empty. Does not resolve the host. */
    public Optional<String> malformed(String url) {
        return malformed(url, requireHttps);
    }

    static Optional<String> malformed(String url, boolean requireHttps) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (requireHttps && !scheme.equals("https")) {
            return Optional.of("must be an https URL");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return Optional.of("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not carry user information");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("must not carry a fragment");
        }
        return Optional.empty();
    }

    /** Why a subscription to this URL must not be made, or empty (resolves the host off the event loop). */
    public Uni<Optional<String>> refusal(String url) {
        return check(url).map(checked -> Optional.ofNullable(checked.refusal()));
    }

    /** Resolves the URL's host once and checks every address; a delivery then connects to the checked one. */
    public Uni<Checked> check(String url) {
        Optional<String> malformed = malformed(url);
        if (malformed.isPresent()) {
            return Uni.createFrom().item(Checked.refused(malformed.get()));
        }
        URI uri = URI.create(url);
        String host = uri.getHost();
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return vertx.executeBlocking(() -> {
            InetAddress[] addresses = resolve(host);
            Optional<String> refusal = refusal(host, addresses, allowPrivate);
            if (refusal.isPresent()) {
                LOG.debugf("Webhook target %s refused: resolves to %s", host, Arrays.toString(addresses));
                return Checked.refused(refusal.get());
            }
            return new Checked(null, new InetSocketAddress(addresses[0], port));
        });
    }

    private InetAddress[] resolve(String host) {
        try {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return resolver.resolve(bare);
        } catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    /** The decision for resolved addresses; every address must be acceptable (a name may resolve to several). */
    static Optional<String> refusal(String host, InetAddress[] addresses, boolean allowPrivate) {
        if (addresses.length == 0) {
            return Optional.of("host " + host + " does not resolve");
        }
        for (InetAddress address : addresses) {
            Kind kind = kind(address);
            if (kind == Kind.SPECIAL) {
                return Optional.of("host " + host + " resolves to a special-purpose address (link-local, multicast, "
                        + "documentation, benchmarking, reserved or a tunnel)");
            }
            if (kind == Kind.PRIVATE && !allowPrivate) {
                return Optional.of("host " + host + " resolves to a private or loopback address");
            }
        }
        return Optional.empty();
    }

    /** The kind of an address, by the IANA special-purpose registries for IPv4 and IPv6. */
    static Kind kind(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address ? kind4(b, 0) : kind6(b);
    }

    private static int u(byte b) {
        return b & 0xff;
    }

    /** The IPv4 address at {@code b[at..at+3]}. */
    static Kind kind4(byte[] b, int at) {
        int a0 = u(b[at]), a1 = u(b[at + 1]), a2 = u(b[at + 2]);
        if (a0 == 10 || a0 == 127 // private, loopback
                || (a0 == 100 && (a1 & 0xc0) == 64) // 100.64.0.0/10 shared (carrier-grade NAT)
                || (a0 == 172 && (a1 & 0xf0) == 16) // 172.16.0.0/12
                || (a0 == 192 && a1 == 168)) {
            return Kind.PRIVATE;
        }
        if (a0 == 0 // "this network"
                || (a0 == 169 && a1 == 254) // link-local, cloud metadata services
                || (a0 == 192 && a1 == 0 && (a2 == 0 || a2 == 2)) // IETF protocol assignments, TEST-NET-1
                || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
                || (a0 == 198 && (a1 & 0xfe) == 18) // 198.18.0.0/15 benchmarking
                || (a0 == 198 && a1 == 51 && a2 == 100) // TEST-NET-2
                || (a0 == 203 && a1 == 0 && a2 == 113) // TEST-NET-3
                || a0 >= 224) { // multicast 224/4, reserved 240/4, broadcast
            return Kind.SPECIAL;
        }
        return Kind.PUBLIC;
    }

    private static Kind kind6(byte[] b) {
        int w0 = (u(b[0]) << 8) | u(b[1]);
        int w1 = (u(b[2]) << 8) | u(b[3]);
        boolean first80Zero = true;
        for (int i = 0; i < 10; i++) {
            first80Zero &= b[i] == 0;
        }
        if (first80Zero && u(b[10]) == 0xff && u(b[11]) == 0xff) {
            return kind4(b, 12); // ::ffff:0:0/96, IPv4-mapped
        }
        if (first80Zero && b[10] == 0 && b[11] == 0) {
            boolean loopback = b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] == 1;
            return loopback ? Kind.PRIVATE : Kind.SPECIAL; // ::1; ::, IPv4-compatible (deprecated)
        }
        if (w0 == 0x0064 && w1 == 0xff9b) {
            boolean wellKnown = true;
            for (int i = 4; i < 12; i++) {
                wellKnown &= b[i] == 0;
            }
            // 64:ff9b::/96 translates to the embedded IPv4 address; 64:ff9b:1::/48 is a local-use NAT64 prefix
            return wellKnown ? kind4(b, 12) : Kind.SPECIAL;
        }
        if (w0 == 0x2002) {
            return kind4(b, 2); // 6to4: the IPv4 address it tunnels to
        }
        if ((w0 & 0xe000) != 0x2000) {
            // outside global unicast 2000::/3: unique-local fc00::/7 is private, everything else (link-local fe80::/10,
            // site-local fec0::/10, multicast ff00::/8, discard 100::/64, reserved) never a target
            return (w0 & 0xfe00) == 0xfc00 ? Kind.PRIVATE : Kind.SPECIAL;
        }
        if ((w0 == 0x2001 && (w1 & 0xfe00) == 0) // 2001::/23 IETF protocol assignments: Teredo, benchmarking, ORCHID
                || (w0 == 0x2001 && w1 == 0x0db8) // documentation
                || (w0 == 0x3fff && (w1 & 0xf000) == 0)) { // 3fff::/20 documentation
            return Kind.SPECIAL;
        }
        return Kind.PUBLIC;
    }
}
