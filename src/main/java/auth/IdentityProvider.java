package auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import config.Settings;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import problem.ProblemException;
import text.Names;

/**
 * The campus identity provider (OpenID Connect) whose access tokens the service accepts besides its own (API.md
 * "Authentication and roles"). A token is accepted when nimbus' {@link DefaultJWTProcessor} finds it signed with
 * one of the issuer's published keys by an asymmetric algorithm (RSA or EC, RFC 7518 section 3.1; the key's own
 * {@code alg}, when it names one, must match), {@code iss} equal to the issuer, {@code aud} containing the audience,
 * {@code sub} present, {@code exp} / {@code nbf} within 60 s of clock skew, and {@code typ} absent, {@code JWT} or
 * {@code at+jwt} (RFC 9068). {@code alg: none} and HMAC never pass the key selection.
 *
 * <p>The keys come from a nimbus {@link JWKSourceBuilder} source over {@link IssuerKeySet}: cached for
 * {@code OIDC_JWKS_CACHE} (5 minutes) and refreshed ahead of expiry on a background thread; fetched again on a
 * {@code kid} it does not know, at most twice per rate-limit interval (30 s), so a flood of made-up key ids is not a
 * flood of requests to the issuer; and, while the issuer is unreachable, the last key set fetched is used for
 * {@link #OUTAGE_TOLERANCE}. Every fetch has bounded time-outs, and runs on the request's worker thread (or the
 * refresh thread), never on a Vert.x event loop.
 */
public final class IdentityProvider implements Closeable {

    /** How long keys fetched before keep validating tokens while the issuer cannot be reached (API.md: ≥ 1 h). */
    static final Duration OUTAGE_TOLERANCE = Duration.ofHours(2);
    /** Connecting to the issuer, and each read of its answer: discovery and key sets are small. */
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(2);
    /** The largest discovery document or key set read (Entra ID's key set is about 10 KiB). */
    static final int FETCH_SIZE_LIMIT = 256 * 1024;
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);
    /** The asymmetric signature algorithms of RFC 7518, section 3.1; never {@code none}, never HMAC. */
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final URI issuer;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ClaimRoles roles;
    private final String nameClaim;

    /**
     * @param settings OIDC_ISSUER, OIDC_AUDIENCE and the claims' names
     * @param tls the socket factory for an https issuer (the JVM's CAs and TLS_CA_FILE's; host names verified)
     * @throws IllegalArgumentException when OIDC_ROLE_MAP names something that is not a role
     */
    public IdentityProvider(Settings.Oidc settings, SSLSocketFactory tls) {
        this.issuer = settings.issuer();
        this.roles = new ClaimRoles(settings.rolesClaim(), settings.roleMap());
        this.nameClaim = settings.nameClaim();
        int timeout = (int) FETCH_TIMEOUT.toMillis();
        long cache = settings.keySetCache().toMillis();
        // nimbus' defaults (refresh 30 s ahead, wait 15 s for a refresh under way, refetch twice per 30 s) for the
        // default 5-minute cache; scaled down for a shorter one, as the builder needs them below its lifetime
        long refreshAhead = Math.min(30_000, cache / 4);
        long refreshTimeout = Math.min(15_000, cache / 4);
        long rateLimit = Math.min(30_000, cache / 2);
        this.keys = JWKSourceBuilder.create(new IssuerKeySet(issuer,
                        new DefaultResourceRetriever(timeout, timeout, FETCH_SIZE_LIMIT, true, tls)))
                .cache(cache, refreshTimeout)
                .refreshAheadCache(refreshAhead, false)
                .rateLimited(rateLimit)
                .outageTolerant(OUTAGE_TOLERANCE.toMillis())
                .build();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                Set.of(settings.audience()), new JWTClaimsSet.Builder().issuer(issuer.toString()).build(),
                Set.of("sub", "exp"), null);
        claims.setMaxClockSkew((int) MAX_CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The issuer identifier (OIDC_ISSUER). */
    public String issuer() {
        return issuer.toString();
    }

    /** The discovery document's URL, for the OpenAPI document's {@code openIdConnect} scheme. */
    public String discoveryUrl() {
        return IssuerKeySet.discoveryUrl(issuer);
    }

    /**
     * Whether a token says it comes from this issuer (its {@code iss}, read without checking anything): such a token
     * is checked by {@link #verify}, any other as one of the service's own.
     */
    boolean claimsToHaveIssued(String token) {
        try {
            return issuer().equals(JWTParser.parse(token).getJWTClaimsSet().getIssuer());
        } catch (java.text.ParseException e) {
            return false;
        }
    }

    /**
     * Checks a token in full (see the class comment).
     *
     * @param token the compact JWS from {@code Authorization: Bearer}
     * @return who it names, with the roles it gives
     * @throws ProblemException 401 for any flaw, for a key the issuer never published, and while the issuer's keys
     *         cannot be had
     */
    CampusIdentity verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (Exception e) {
            // ParseException, BadJOSEException, JOSEException (KeySourceException: no keys): all the same to a client
            throw ProblemException.unauthorized("the access token is not valid");
        }
        String subject = claims.getSubject();
        String preferred = stringClaim(claims, "preferred_username");
        String username = NewUser.isUsername(preferred) ? preferred : NewUser.isUsername(subject) ? subject : null;
        String name = displayName(stringClaim(claims, nameClaim));
        return new CampusIdentity(subject, username, name != null ? name : username != null ? username : subject,
                roles.of(claims), claims.getExpirationTime().getTime());
    }

    /**
     * Fetches the keys once in the background, so the first request does not wait for them; an issuer that cannot
     * be reached is one warning line ({@link IssuerKeySet}), not a failed start.
     */
    public void fetchKeysInBackground() {
        Thread fetch = new Thread(() -> {
            try {
                keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            } catch (KeySourceException logged) {
                // IssuerKeySet said why; the next request tries again
            }
        }, "oidc-keys");
        fetch.setDaemon(true);
        fetch.start();
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String text ? text : null;
    }

    /** The name as the service's own checks allow it (text/Names), or null when the token's is not usable. */
    private static String displayName(String name) {
        try {
            return name == null ? null : Names.require("name", name, 200);
        } catch (IllegalArgumentException unusable) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        if (keys instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
