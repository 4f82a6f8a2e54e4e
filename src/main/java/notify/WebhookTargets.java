package notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import problem.ProblemException;

/**
 * Where webhooks may go. Callback URLs are chosen by students, so without this check the service could be made to
 * POST to itself, to the cloud metadata endpoint or to anything else on its private network (SSRF). The check runs
 * twice: {@link #check} when a subscription is made, and {@link #dnsResolver} when a delivery connects, because a
 * name that resolved to a public address at subscribe time may resolve to a private one later (DNS rebinding).
 */
public final class WebhookTargets {

    private static final int MAX_URL_LENGTH = 2048;

    /** IPv4 blocks that are not globally reachable (IANA special-purpose registry, plus multicast and 240/4). */
    private static final List<Block> NON_PUBLIC_V4 = Block.all(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    /**
     * IPv6 is judged by allow-list: only global unicast 2000::/3 can be public, which already excludes ::, ::1,
     * fc00::/7, fe80::/10, multicast and the NAT64 prefixes 64:ff9b::/96 and 64:ff9b:1::/48.
     */
    private static final Block GLOBAL_UNICAST_V6 = Block.of("2000::/3");

    /**
     * Inside 2000::/3: IETF protocol assignments (Teredo, benchmarking, ORCHID), documentation and 6to4. Teredo and
     * 6to4 embed an IPv4 address that could be private, so they are refused rather than decoded.
     */
    private static final List<Block> NON_PUBLIC_V6 = Block.all("2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20");

    /**
     * What {@code WEBHOOK_ALLOW_PRIVATE_NETWORKS} opens: loopback, RFC 1918 and unique-local (RFC 4193) addresses.
     * Link-local, shared (CGNAT), multicast and reserved blocks stay closed whatever the flag.
     */
    private static final List<Block> PRIVATE_NETWORKS = Block.all(
            "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7");

    /** Cloud instance-metadata endpoints, never a target: AWS (IPv6; IPv4 is link-local), Alibaba Cloud. */
    private static final List<Block> METADATA = Block.all("fd00:ec2::254/128", "100.100.100.200/32");

    /** A last label of digits or 0x-hex makes a host an IPv4 number (WHATWG URL "ends in a number"). */
    private static final java.util.regex.Pattern NUMERIC_LABEL =
            java.util.regex.Pattern.compile("[0-9]+|0[xX][0-9a-fA-F]*");
    private static final java.util.regex.Pattern CANONICAL_IPV4 =
            java.util.regex.Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
                    + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

    private final boolean allowPrivateNetworks;

    /** @param allowPrivateNetworks {@code WEBHOOK_ALLOW_PRIVATE_NETWORKS}: the operator trusts private targets */
    public WebhookTargets(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    /**
     * The subscribe-time check: returns the URL as a URI, or throws {@code 400 invalid-url} (not an absolute URL
     * with a host, too long, or a host that does not resolve) or {@code 400 forbidden-target} (not http/https,
     * credentials in the URL, or a non-public address unless private networks are allowed).
     */
    public URI check(String url) {
        String text = url == null ? "" : url.trim();
        if (text.isEmpty() || text.length() > MAX_URL_LENGTH) {
            throw invalid("callbackUrl must be an absolute http or https URL of at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("callbackUrl is not a valid URL");
        }
        if (!uri.isAbsolute()) {
            throw invalid("callbackUrl must be an absolute http or https URL");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw forbidden("callbackUrl must use http or https");
        }
        // Checked on the raw authority so that credentials are refused even where URI cannot split out a host.
        if (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw forbidden("callbackUrl must not contain credentials");
        }
        if (uri.getHost() == null) {
            throw invalid("callbackUrl must name a host");
        }
        if (isIpv4Number(uri.getHost()) && !CANONICAL_IPV4.matcher(uri.getHost()).matches()) {
            // 0177.0.0.1 is 177.0.0.1 to Java and 127.0.0.1 to curl and browsers: refuse what tools read differently
            throw invalid("callbackUrl must write an IPv4 address as four decimal numbers (like 93.184.216.34)");
        }
        InetAddress[] addresses;
        try {
            // Literals (including bracketed IPv6) are parsed without a DNS query; names are resolved.
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            throw invalid("the host of callbackUrl does not resolve");
        }
        if (!Arrays.stream(addresses).allMatch(this::isAllowed)) {
            throw forbidden(allowPrivateNetworks
                    ? "callbackUrl must point to a public, loopback or private-network address (never link-local or "
                            + "a cloud metadata endpoint)"
                    : "callbackUrl must point to a public internet address");
        }
        return uri;
    }

    /**
     * Whether a webhook may be sent to the address: a public one, or with private networks allowed a loopback,
     * RFC 1918 or unique-local one that is not a metadata endpoint.
     */
    public boolean isAllowed(InetAddress address) {
        if (isPublic(address)) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isIpv4Mapped(bytes)) {
            return isAllowed(toIpv4(bytes));
        }
        return allowPrivateNetworks && PRIVATE_NETWORKS.stream().anyMatch(block -> block.contains(bytes))
                && METADATA.stream().noneMatch(block -> block.contains(bytes));
    }

    /** A host whose last label is a number is read as an IPv4 address by URL parsers, in whatever base it uses. */
    private static boolean isIpv4Number(String host) {
        String trimmed = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return NUMERIC_LABEL.matcher(trimmed.substring(trimmed.lastIndexOf('.') + 1)).matches();
    }

    /** True when the address is globally reachable unicast; everything else is treated as internal. */
    public static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return NON_PUBLIC_V4.stream().noneMatch(block -> block.contains(bytes));
        }
        if (address instanceof Inet6Address) {
            if (isIpv4Mapped(bytes)) { // ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d
                return isPublic(toIpv4(bytes));
            }
            return GLOBAL_UNICAST_V6.contains(bytes) && NON_PUBLIC_V6.stream().noneMatch(block -> block.contains(bytes));
        }
        return false;
    }

    /**
     * The connect-time check for Apache HttpClient 5: resolves like the system resolver, but fails the connection
     * when any resolved address is not allowed ({@link #isAllowed}), so a name re-pointed after subscribing cannot
     * reach internal hosts.
     */
    public DnsResolver dnsResolver() {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
                for (InetAddress address : addresses) {
                    if (!isAllowed(address)) {
                        throw new UnknownHostException("webhook target " + host + " resolves to a non-public address");
                    }
                }
                return addresses;
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    private static InetAddress toIpv4(byte[] v6) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(v6, 12, 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen: four bytes are always a valid IPv4 address
        }
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(400, "invalid-url", detail);
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(400, "forbidden-target", detail);
    }

    /** A CIDR block. */
    private record Block(byte[] prefix, int bits) {

        static Block of(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                // Only literals are given here, so no DNS query is made.
                return new Block(InetAddress.getByName(cidr.substring(0, slash)).getAddress(),
                        Integer.parseInt(cidr.substring(slash + 1)));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(cidr, e);
            }
        }

        static List<Block> all(String... cidrs) {
            return Arrays.stream(cidrs).map(Block::of).toList();
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((address[whole] ^ prefix[whole]) & 0xff) >>> (8 - rest) == 0;
        }
    }
}
