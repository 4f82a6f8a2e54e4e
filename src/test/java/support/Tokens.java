package support;

import auth.TokenService;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A signing key shared with the services a test or a benchmark starts (through JWT_PRIVATE_KEY_FILE), so it can act
 * as hundreds of students without paying a slow password hash for each: the service trusts its own key's tokens.
 * The tokens are minted by the service's own {@link TokenService#issue} with that key, so they are exactly the
 * tokens {@code POST /auth/login} hands out (docs/api.md "Authentication").
 *
 * <p>{@link #main} mints tokens for the bench shell scripts (bench/lib.sh), so they are minted here only.
 */
public final class Tokens {

    private static final AtomicLong NEXT_ID = new AtomicLong(System.nanoTime() % 1_000_000_000L * 1000);

    private final RSAKey key;
    private final Path pem;
    private final TokenService issuer;

    /** A fresh 2048-bit RSA key, written as a PKCS#8 PEM file (deleted on exit) for JWT_PRIVATE_KEY_FILE. */
    public Tokens() {
        this(newKeyFile());
    }

    private Tokens(Path pem) {
        this.pem = pem;
        this.key = TokenService.load(pem);
        this.issuer = new TokenService(pem, null, null);
    }

    /**
     * The key of an existing PEM file (PKCS#8, "BEGIN PRIVATE KEY", as {@code openssl genpkey -algorithm RSA} writes
     * it): the file a benchmark script hands the service as JWT_PRIVATE_KEY_FILE.
     *
     * @throws IllegalStateException when the file cannot be read or holds no such key
     */
    public static Tokens of(Path pemFile) {
        return new Tokens(pemFile);
    }

    private static Path newKeyFile() {
        try {
            RSAKey generated = new RSAKeyGenerator(2048).generate();
            Path pem = Files.createTempFile("jwt", ".pem");
            pem.toFile().deleteOnExit();
            Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(generated.toPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            return pem;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value for JWT_PRIVATE_KEY_FILE. */
    public String pemFile() {
        return pem.toString();
    }

    /** The key pair the tokens are signed with (its key id the thumbprint, as the service's). */
    public RSAKey key() {
        return key;
    }

    /** A fresh id no real account has (far above the store's counters). */
    public static long freshId() {
        return NEXT_ID.incrementAndGet();
    }

    /**
     * A signed access token (compact JWS) for a user, valid for {@link TokenService#LIFETIME}; safe from many threads.
     *
     * @param userId the subject, the user's id
     * @param name the display name claim
     * @param roles the roles claim (Student, Instructor, Registrar)
     */
    public String token(long userId, String name, String... roles) {
        return issuer.issue(userId, name, List.of(roles));
    }

    /** A student's token: {@link #token} with the name "Student ID" and the role Student. */
    public String student(long id) {
        return token(id, "Student " + id, "Student");
    }

    /**
     * Prints COUNT tokens, one a line, for the users FIRST_ID … FIRST_ID + COUNT − 1 with ROLE, signed with the key
     * in KEY.pem: {@code java -cp CP support.Tokens KEY.pem FIRST_ID COUNT [ROLE=Student]}.
     */
    public static void main(String[] args) {
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
