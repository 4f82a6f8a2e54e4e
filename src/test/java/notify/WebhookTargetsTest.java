package notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import problem.ProblemException;

/** Webhook targets: no SSRF to loopback, private, link-local or otherwise internal addresses. No network needed. */
class WebhookTargetsTest {

    private final WebhookTargets strict = new WebhookTargets(false);
    private final WebhookTargets permissive = new WebhookTargets(true);

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/", "http://10.0.0.1/", "http://169.254.169.254/latest/meta-data", "http://[::1]/",
            "http://0.0.0.0/", "http://localhost:8080/hook", "http://[::ffff:127.0.0.1]/", "http://172.16.5.4/",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://[fe80::1]/", "http://224.0.0.1/",
            "http://[::]/", "http://[fc00::1]/", "http://[fd12:3456::1]/",
            "http://[ff02::1]/", "http://255.255.255.255/", "http://240.0.0.1/", "http://198.18.0.1/",
            "http://192.0.2.1/", "http://198.51.100.7/", "http://203.0.113.9/", "http://192.0.0.8/",
            "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/", "http://[2001:0:4136:e378::1]/",
            "http://[2001:db8::1]/", "http://[::ffff:10.0.0.1]/", "http://[::127.0.0.1]/", "HTTP://127.0.0.1/"})
    void refusesNonPublicTargets(String url) {
        assertProblem(() -> strict.check(url), "forbidden-target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.1/", "http://0x7f.0.0.1/", "http://017700000001/", "http://127.0.0.01/",
            "http://0177.0.0.1/", "http://2130706433/", "http://0x7f000001/", "http://93.184.216.034/",
            "http://example.com.0x5d/"})
    void refusesIpv4WrittenInFormsToolsReadDifferently(String url) {
        // Java reads 0177.0.0.1 as 177.0.0.1, curl and browsers as 127.0.0.1: whatever the flag, it is no URL here
        assertProblem(() -> strict.check(url), "invalid-url");
        assertProblem(() -> permissive.check(url), "invalid-url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/latest/meta-data",
            "http://100.100.100.200/latest/meta-data", "http://[fe80::1]/", "http://169.254.1.1/",
            "http://224.0.0.1/", "http://0.0.0.0/", "http://100.64.0.1/", "http://[::ffff:169.254.169.254]/"})
    void neverAllowsLinkLocalMetadataOrReservedTargetsEvenWithPrivateNetworksAllowed(String url) {
        assertProblem(() -> permissive.check(url), "forbidden-target");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "file:///etc/passwd", "ftp://example.com/", "gopher://93.184.216.34:70/", "mailto:a@b.com",
            "jar:file:/x.jar!/", "http://user:pw@93.184.216.34/", "https://user@93.184.216.34/"})
    void refusesOtherSchemesAndCredentials(String url) {
        assertProblem(() -> strict.check(url), "forbidden-target");
        assertProblem(() -> permissive.check(url), "forbidden-target");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "http://", "/relative", "", "   ", "http:opaque", "http:///path",
            "http://exa_mple.com/", "http://host.invalid/hook"})
    void refusesWhatIsNotAnAbsoluteUrlWithAResolvableHost(String url) {
        assertProblem(() -> strict.check(url), "invalid-url");
    }

    @Test
    void refusesNullAndOverlongUrls() {
        assertProblem(() -> strict.check(null), "invalid-url");
        assertProblem(() -> strict.check("https://93.184.216.34/" + "a".repeat(2048)), "invalid-url");
    }

    @Test
    void saysWhenTheHostDoesNotResolve() {
        assertThat(catchThrowableOfType(ProblemException.class, () -> strict.check("https://host.invalid/")))
                .hasMessageContaining("does not resolve");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hook", "http://[2606:4700::1111]/", "https://8.8.8.8:8443/x?y=1",
            "http://[::ffff:93.184.216.34]/"})
    void acceptsPublicTargets(String url) {
        assertThat(strict.check(url)).isEqualTo(URI.create(url));
    }

    @Test
    void operatorMayAllowPrivateTargets() {
        assertThat(permissive.check("http://127.0.0.1:9000/hook")).isEqualTo(URI.create("http://127.0.0.1:9000/hook"));
        for (String url : new String[] {"http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.5.4/",
                "http://[fd12:3456::1]/", "http://[::1]/"}) {
            assertThat(permissive.check(url)).isEqualTo(URI.create(url));
        }
        assertThat(permissive.check("http://localhost:9000/hook")).hasHost("localhost");
        assertProblem(() -> permissive.check("not a url"), "invalid-url");
    }

    @Test
    void judgesAddressesDirectly() throws Exception {
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("1.1.1.1"))).isTrue();
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("172.32.0.1"))).isTrue();
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("172.31.255.255"))).isFalse();
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("100.128.0.1"))).isTrue();
        assertThat(WebhookTargets.isPublic(InetAddress.getByName("100.127.255.255"))).isFalse();
        // An IPv4-mapped address kept as IPv6 (getByName would turn it into IPv4) is judged by its IPv4 part.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169,
                (byte) 254};
        assertThat(WebhookTargets.isPublic(Inet6Address.getByAddress(null, mapped, -1))).isFalse();
    }

    @Test
    void resolverRefusesNonPublicAddressesAtConnectTime() {
        DnsResolver resolver = strict.dnsResolver();
        for (String host : new String[] {"localhost", "127.0.0.1", "::1", "169.254.169.254"}) {
            assertThatThrownBy(() -> resolver.resolve(host))
                    .isInstanceOf(UnknownHostException.class)
                    .hasMessageContaining("non-public address");
            assertThatThrownBy(() -> resolver.resolve(host, 80)).isInstanceOf(UnknownHostException.class);
        }
    }

    @Test
    void resolverResolvesPublicLiteralsAndPrivateOnesWhenAllowed() throws Exception {
        assertThat(strict.dnsResolver().resolve("93.184.216.34"))
                .containsExactly(InetAddress.getByName("93.184.216.34"));
        DnsResolver resolver = permissive.dnsResolver();
        assertThat(resolver.resolve("localhost")).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
        assertThat(resolver.resolve("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThatThrownBy(() -> resolver.resolve("169.254.169.254")).isInstanceOf(UnknownHostException.class);
        assertThat(strict.dnsResolver().resolveCanonicalHostname("127.0.0.1")).isNotBlank();
    }

    private static void assertProblem(ThrowingCallable call, String code) {
        ProblemException problem = catchThrowableOfType(ProblemException.class, call);
        assertThat(problem).as("expected a ProblemException").isNotNull();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.code()).isEqualTo(code);
        assertThat(problem.getMessage()).doesNotContain("Exception");
    }
}
