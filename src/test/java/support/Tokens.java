package support;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A signing key shared with the services a test or a benchmark starts (through JWT_PRIVATE_KEY_FILE), so it can act
 * as hundreds of students without paying a slow password hash for each: the service trusts its own key's tokens
 * (RS256 access tokens with the claims of docs/api.md "Authentication": sub, roles, name, iss, aud, iat, exp, jti).
 *
 * <p>{@link #main} mints tokens for the bench shell scripts (bench/lib.sh), so they are minted here only.
 */
public final class Tokens {

    private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime() % 1_000_000_000L * 1000);
    /** Long enough for the longest benchmark run (bench/notifications.sh's phases and drains). */
    private static final long LIFETIME_MILLIS = 3 * 3_600_000L;

    private final RSAKey key;
    private final Path pem;
    private final RSASSASigner signer;

    /** A fresh 2048-bit RSA key, written as a PKCS#8 PEM file (deleted on exit) for JWT_PRIVATE_KEY_FILE. */
    public Tokens() {
        try {
            key = new RSAKeyGenerator(2048).generate();
            pem = Files.createTempFile("jwt", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(key.toPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            signer = new RSASSASigner(key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Tokens(RSAKey key, RSAPrivateCrtKey privateKey, Path pem) {
        this.key = key;
        this.pem = pem;
        this.signer = new RSASSASigner(privateKey);
    }

    /**
     * The key of an existing PEM file, as {@code openssl genpkey -algorithm RSA} writes it (PKCS#8, "BEGIN PRIVATE
     * KEY"): the file a benchmark script hands the service as JWT_PRIVATE_KEY_FILE.
     *
     * @throws IOException when the file cannot be read
     * @throws GeneralSecurityException when it holds no RSA private key in PKCS#8
     */
    public static Tokens of(Path pemFile) throws IOException, GeneralSecurityException {
        String base64 = Files.readString(pemFile).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        RSAPublicKey publicKey = (RSAPublicKey) rsa.generatePublic(
                new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        return new Tokens(new RSAKey.Builder(publicKey).privateKey(privateKey).build(), privateKey, pemFile);
    }

    /** The value for JWT_PRIVATE_KEY_FILE. */
    public String pemFile() {
        return pem.toString();
    }

    /** The key pair the tokens are signed with. */
    public RSAKey key() {
        return key;
    }

    /** A fresh id no real account has (far above the store's counters). */
    public static long freshId() {
        return NEXT_ID.incrementAndGet();
    }

    /**
     * A signed access token (compact JWS) for a user, valid from now for three hours; safe from many threads.
     *
     * @param userId the subject, the user's id
     * @param name the display name claim
     * @param roles the roles claim (Student, Instructor, Registrar)
     */
    public String token(long userId, String name, String... roles) {
        long now = System.currentTimeMillis();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(Long.toString(userId))
                .claim("roles", List.of(roles)).claim("name", name)
                .issuer("enrollment-service").audience("enrollment-api").issueTime(new Date(now))
                .expirationTime(new Date(now + LIFETIME_MILLIS))
                .jwtID(UUID.randomUUID().toString()).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A student's token: {@link #token} with the name "Student ID" and the role Student. */
    public String student(long id) {
        return token(id, "Student " + id, "Student");
    }

    /**
     * Prints COUNT tokens, one a line, for the users FIRST_ID … FIRST_ID + COUNT − 1 with ROLE, signed with the key
     * in KEY.pem: {@code java -cp CP support.Tokens KEY.pem FIRST_ID COUNT [ROLE=Student]}.
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: java -cp CP support.Tokens KEY.pem FIRST_ID COUNT [ROLE=Student]");
            System.exit(2);
        }
        Tokens tokens = of(Path.of(args[0]));
        long first = Long.parseLong(args[1]);
        String role = args.length > 3 ? args[3] : "Student";
        StringBuilder out = new StringBuilder();
        for (long id = first; id < first + Integer.parseInt(args[2]); id++) {
            out.append(tokens.token(id, role + " " + id, role)).append('\n');
        }
        System.out.print(out);
    }
}
