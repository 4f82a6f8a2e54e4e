package auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.RunningService;

/** Register, log in, the key set, and every way a token can be refused, over HTTP against a running instance. */
class AuthenticationTest {

    // The service signs with a key the test also holds (running.tokens), so the test can forge expired or foreign
    // tokens.
    @RegisterExtension
    static final RunningService running = new RunningService();


    @Test
    void aStudentRegistersLogsInAndTheTokenVerifiesWithThePublishedKeySet() throws Exception {
        String username = "ada" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response registered = running.api.post("/auth/register", null,
                Map.of("username", username, "password", "analytical engine", "name", "Ada Lovelace"));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(registered.json().get("id").asLong()).isPositive();
        assertThat(registered.json().get("username").asText()).isEqualTo(username);
        assertThat(registered.json().get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(registered.json().get("roles").toString()).isEqualTo("[\"Student\"]");
        assertThat(registered.body()).doesNotContain("password", "analytical");

        Api.Response login = running.api.post("/auth/login", null, Map.of("username", username, "password",
                "analytical engine"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(login.json().get("expires_in").asLong()).isEqualTo(3600);

        Api.Response jwks = running.api.get("/auth/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        JWKSet keys = JWKSet.parse(jwks.body());
        assertThat(keys.getKeys()).hasSize(1);
        assertThat(keys.getKeys().get(0).isPrivate()).isFalse();

        SignedJWT token = SignedJWT.parse(login.json().get("access_token").asText());
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        RSAKey published = (RSAKey) keys.getKeyByKeyId(token.getHeader().getKeyID());
        assertThat(token.verify(new RSASSAVerifier(published))).isTrue();
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(registered.json().get("id").asText());
        assertThat(claims.getStringListClaim("roles")).containsExactly("Student");
        assertThat(claims.getStringClaim("name")).isEqualTo("Ada Lovelace");
        assertThat(claims.getIssuer()).isEqualTo(TokenService.ISSUER);
        assertThat(claims.getAudience()).containsExactly(TokenService.AUDIENCE);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
    }

    @Test
    void aTakenUsernameIsAConflictAndAWrongPasswordIsRefused() {
        JsonNode student = running.api.registerStudent("Grace Hopper");
        String username = student.get("username").asText();
        Api.Response again = running.api.post("/auth/register", null,
                Map.of("username", username, "password", "another password", "name", "Someone Else"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("username-taken");
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");

        Api.Response wrong = running.api.post("/auth/login", null, Map.of("username", username, "password",
                "not it at all"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asText()).isEqualTo("bad-credentials");
        Api.Response unknown = running.api.post("/auth/login", null, Map.of("username", "nobody-" + UUID.randomUUID(),
                "password", "whatever it is"));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.json().get("code").asText()).isEqualTo("bad-credentials");
    }

    @Test
    void theBootstrapRegistrarCreatesAnInstructorAndAStudentMayNot() {
        String registrar = running.api.registrarToken();
        String username = "turing" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> instructor = Map.of("username", username, "password", "imitation game",
                "name", "Alan Turing", "roles", List.of("Instructor"));
        Api.Response created = running.api.post("/registrar/users", registrar, instructor);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("roles").toString()).isEqualTo("[\"Instructor\"]");
        assertThat(running.api.login(username, "imitation game")).isNotBlank();

        Api.Response badRole = running.api.post("/registrar/users", registrar, Map.of("username", "x" + username,
                "password", "imitation game", "name", "X", "roles", List.of("Dean")));
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("code").asText()).isEqualTo("invalid-request");

        JsonNode student = running.api.registerStudent("Eve");
        String studentToken = running.api.login(student.get("username").asText(), "correct horse battery");
        Api.Response forbidden = running.api.post("/registrar/users", studentToken, instructor);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("code").asText()).isEqualTo("forbidden");
    }

    @Test
    void everyFlawedTokenIsA401WithTheBearerChallenge() throws Exception {
        JWTClaimsSet valid = claims(new Date(System.currentTimeMillis() + 600_000));
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        Map<String, String> flawed = Map.of(
                "missing", "",
                "malformed", "Bearer not.a.jwt",
                "wrong scheme", "Basic cmVnaXN0cmFyOnJlZ2lzdHJhcg==",
                "expired", "Bearer " + rs256(running.tokens.key(),
                        claims(new Date(System.currentTimeMillis() - 60_000))),
                "tampered", "Bearer " + tamper(rs256(running.tokens.key(), valid)),
                "signed by another key", "Bearer " + rs256(stranger, valid),
                "alg none", "Bearer " + new PlainJWT(valid).serialize(),
                "HMAC-signed", "Bearer " + hs256(valid));
        // The control: the same claims signed with the service's key are accepted.
        assertThat(running.api.send("POST", "/registrar/users", null, "{}",
                Map.of("Authorization", "Bearer " + rs256(running.tokens.key(), valid))).status()).isEqualTo(400);
        flawed.forEach((flaw, header) -> {
            Map<String, String> headers = header.isEmpty() ? Map.of() : Map.of("Authorization", header);
            Api.Response answer = running.api.send("POST", "/registrar/users", null, "{}", headers);
            assertThat(answer.status()).as(flaw).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).as(flaw).isEqualTo("Bearer");
            assertThat(answer.header("Content-Type")).as(flaw).startsWith("application/problem+json");
        });
    }

    private static JWTClaimsSet claims(Date expiry) {
        return new JWTClaimsSet.Builder().subject("1").claim("roles", List.of("Registrar")).claim("name", "Mallory")
                .issuer(TokenService.ISSUER).audience(TokenService.AUDIENCE).issueTime(new Date(0))
                .expirationTime(expiry).jwtID(UUID.randomUUID().toString()).build();
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        // The classic confusion attack: the public key's bytes used as the HMAC secret.
        jwt.sign(new MACSigner(running.tokens.key().toPublicKey().getEncoded()));
        return jwt.serialize();
    }

    /** Changes the payload (roles) but keeps the original signature. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        String forged = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("Mallory", "Mallorx").getBytes());
        return parts[0] + "." + forged + "." + parts[2];
    }
}
