package support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A signing key shared with the services a test starts (through JWT_PRIVATE_KEY_FILE), so a test can act as
 * hundreds of students without paying a slow password hash for each: the service trusts its own key's tokens.
 */
public final class Tokens {

    private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime() % 1_000_000_000L * 1000);

    private final RSAKey key;
    private final Path pem;

    public Tokens() {
        try {
            key = new RSAKeyGenerator(2048).generate();
            pem = Files.createTempFile("jwt", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(key.toPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value for JWT_PRIVATE_KEY_FILE. */
    public String pemFile() {
        return pem.toString();
    }

    public RSAKey key() {
        return key;
    }

    /** A fresh id no real account has (far above the store's counters). */
    public static long freshId() {
        return NEXT_ID.incrementAndGet();
    }

    public String token(long userId, String name, String... roles) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(Long.toString(userId))
                .claim("roles", List.of(roles)).claim("name", name)
                .issuer("enrollment-service").audience("enrollment-api").issueTime(new Date())
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                .jwtID(UUID.randomUUID().toString()).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String student(long id) {
        return token(id, "Student " + id, "Student");
    }
}
