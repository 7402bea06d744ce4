package io.leadsuite.lead.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Server-side request forgery guard for webhook targets: only http and https, no user info, and a host that resolves
 * only to public addresses. Loopback and private ranges are admitted when
 * {@code leadsuite.webhooks.allow-private-targets} is on (tests, local runs); link-local (cloud metadata services),
 * multicast and unspecified addresses never are. Checked when a subscription is made and again before every delivery
 * (the name may resolve elsewhere by then).
 */
@ApplicationScoped
public class TargetGuard {

    private final Vertx vertx;
    private final boolean allowPrivate;

    public TargetGuard(Vertx vertx, WebhookConfig config) {
        this.vertx = vertx;
        this.allowPrivate = config.allowPrivateTargets();
    }

    /** Why the URL's form is not acceptable, or empty. Does not resolve the host. */
    public static Optional<String> malformed(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            return Optional.of("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
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

    /** Why a delivery to this URL must not be made (after resolving its host off the event loop), or empty. */
    public Uni<Optional<String>> refusal(String url) {
        Optional<String> malformed = malformed(url);
        if (malformed.isPresent()) {
            return Uni.createFrom().item(malformed);
        }
        String host = URI.create(url).getHost();
        return vertx.executeBlocking(() -> refusal(host, resolve(host), allowPrivate));
    }

    private static InetAddress[] resolve(String host) {
        try {
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return InetAddress.getAllByName(bare);
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
            if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()
                    || isReservedV4(address)) {
                return Optional.of("host " + host + " resolves to " + address.getHostAddress()
                        + ", a link-local, multicast or reserved address");
            }
            if (!allowPrivate && (address.isLoopbackAddress() || address.isSiteLocalAddress()
                    || isUniqueLocalV6(address) || isSharedV4(address))) {
                return Optional.of("host " + host + " resolves to " + address.getHostAddress()
                        + ", a private or loopback address");
            }
        }
        return Optional.empty();
    }

    /** fc00::/7 */
    private static boolean isUniqueLocalV6(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10, carrier-grade NAT: private in practice. */
    private static boolean isSharedV4(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    /** 0.0.0.0/8 and 240.0.0.0/4 (reserved, 255.255.255.255 included). */
    private static boolean isReservedV4(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address && ((b[0] & 0xff) == 0 || (b[0] & 0xf0) == 0xf0);
    }
}
