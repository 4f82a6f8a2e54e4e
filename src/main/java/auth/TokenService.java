package auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import problem.ProblemException;

/**
 * Issues and checks the service's RS256 access tokens, and checks the campus identity provider's when one is
 * configured ({@link IdentityProvider}). The key comes from a PKCS#8 PEM file so that every instance signs with the
 * same key; without one, a key is generated and the tokens only hold for this process.
 */
public final class TokenService {

    public static final String ISSUER = "enrollment-service";
    public static final String AUDIENCE = "enrollment-api";
    public static final Duration LIFETIME = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    /** Distinct valid tokens remembered: a few hundred bytes each, so about 2 MB at most. */
    private static final int VERIFIED_TOKENS = 10_000;

    private final RSAKey key;
    private final RSASSASigner signer;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    /**
     * Callers of tokens already verified, keyed by the token's SHA-256 (the token itself is not kept), each until
     * the token's {@code exp}: an RS256 check costs more than the rest of a read, and a client sends the same
     * token with every request of its hour. Only valid tokens are remembered, so garbage cannot evict them.
     */
    private final Cache<String, Verified> verified = Caffeine.newBuilder()
            .maximumSize(VERIFIED_TOKENS)
            .expireAfter(Expiry.<String, Verified>creating((hash, entry) ->
                    Duration.ofMillis(Math.max(0, entry.expiresAtMillis() - System.currentTimeMillis()))))
            .build();

    /** The campus identity provider and the users its subjects are linked to; null without OIDC_ISSUER. */
    private final IdentityProvider campus;
    private final Users users;

    /**
     * @param privateKeyPem JWT_PRIVATE_KEY_FILE, or null for a key of this process only
     * @param campus the identity provider whose tokens are accepted too, or null
     * @param users where the provider's subjects are linked to users (needed with {@code campus})
     */
    public TokenService(Path privateKeyPem, IdentityProvider campus, Users users) {
        this.campus = campus;
        this.users = users;
        this.key = privateKeyPem == null ? generate() : load(privateKeyPem);
        try {
            this.signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("the signing key is not usable", e);
        }
        // Only RS256 with our own key: alg none, HMAC and foreign keys fail the key selection.
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(),
                Set.of("sub", "roles", "iat", "exp", "jti")));
    }

    /** The answer of {@code POST /auth/login}. */
    public record Grant(@JsonProperty("access_token") String accessToken,
                        @JsonProperty("token_type") String tokenType,
                        @JsonProperty("expires_in") long expiresIn) {
    }

    public Grant grant(User user) {
        return new Grant(issue(user.id(), user.name(), user.roles()), "Bearer", LIFETIME.toSeconds());
    }

    /** A signed token for the user, valid for {@link #LIFETIME}. */
    public String issue(long userId, String name, List<String> roles) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(Long.toString(userId))
                .claim("roles", roles)
                .claim("name", name)
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /**
     * The caller named by a valid token. A token is checked in full (RS256 signature, issuer, audience, the
     * required claims, {@code exp} and {@code nbf}) the first time it is seen; until its {@code exp} the same
     * token is then answered from memory. A token that names the campus identity provider as its issuer is checked
     * by it, and its caller is the user linked to its subject (created at the subject's first request) with the
     * roles that token gives.
     *
     * @param token the compact JWS from {@code Authorization: Bearer}
     * @return the caller, never null
     * @throws ProblemException 401 for any flaw in the token, or a token past its {@code exp}
     */
    public Caller verify(String token) {
        String hash = sha256(token);
        Verified known = verified.getIfPresent(hash);
        if (known != null && known.expiresAtMillis() > System.currentTimeMillis()) {
            return known.caller();
        }
        Verified checked = check(token);
        verified.put(hash, checked);
        return checked.caller();
    }

    /** A token that passed the full check, and when it stops being valid (its {@code exp}, epoch milliseconds). */
    private record Verified(Caller caller, long expiresAtMillis) {
    }

    private Verified check(String token) {
        if (campus != null && campus.claimsToHaveIssued(token)) {
            CampusIdentity identity = campus.verify(token);
            Caller caller = new Caller(users.linkedTo(identity), identity.name(), identity.roles());
            return new Verified(caller, identity.expiresAtMillis());
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Caller caller = new Caller(Long.parseLong(claims.getSubject()), claims.getStringClaim("name"),
                    Set.copyOf(claims.getStringListClaim("roles")));
            return new Verified(caller, claims.getExpirationTime().getTime());
        } catch (Exception e) {
            // java.text.ParseException, BadJOSEException, JOSEException, NumberFormatException: all the same to a client
            throw ProblemException.unauthorized("the access token is not valid");
        }
    }

    private static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The public key set (RFC 7517) that gateways use to validate our tokens. */
    public Map<String, Object> jwks() {
        return new JWKSet(key.toPublicJWK()).toJSONObject();
    }

    private static RSAKey generate() {
        LOG.warn("JWT_PRIVATE_KEY_FILE is not set: signing tokens with a key generated for this process only; "
                + "instances will not accept each other's tokens and a restart logs everyone out");
        try {
            return withThumbprintId(new RSAKeyGenerator(2048).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }

    /**
     * Reads a signing key: an RSA private key in PKCS#8 PEM ("BEGIN PRIVATE KEY", as {@code openssl genpkey} writes
     * it), with its public half and its thumbprint as key id. The tests and benchmarks mint their tokens with it too.
     *
     * @throws IllegalStateException when the file cannot be read or holds no such key
     */
    public static RSAKey load(Path pem) {
        try {
            String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return withThumbprintId(new RSAKey.Builder(publicKey).privateKey(privateKey).build());
        } catch (IOException | GeneralSecurityException | JOSEException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("JWT_PRIVATE_KEY_FILE " + pem
                    + " must hold an RSA private key in PKCS#8 PEM ('BEGIN PRIVATE KEY')", e);
        }
    }

    /**
     * The key id is the RFC 7638 thumbprint, so instances sharing a key publish the same kid; {@code use} and
     * {@code alg} (RFC 7517, sections 4.2 and 4.4) tell a gateway that the key only verifies RS256 signatures.
     */
    private static RSAKey withThumbprintId(RSAKey key) throws JOSEException {
        return new RSAKey.Builder(key).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).keyIDFromThumbprint()
                .build();
    }
}
