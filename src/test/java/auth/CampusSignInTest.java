package auth;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import support.Api;
import support.Background;
import support.Concurrently;
import support.TestService;
import support.Tokens;
import support.WebhookReceiver;

/**
 * Signing in with the campus identity provider (issue 20), against a real OpenID Connect server in-process
 * (mock-oauth2-server: discovery, key set, signed tokens): the service "A" accepts the tokens of the issuer
 * {@code campus} with the default claims; its twin shares A's tables and issuer, with LOCAL_ACCOUNTS=false; the
 * service "K" reads Keycloak-style roles ({@code realm_access.roles}, mapped) from the issuer {@code realm}, keeps its
 * key set two seconds, and was started while that issuer was down. K's issuer rotates its key, then stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CampusSignInTest {

    private static final String AUDIENCE = "enrollment-api";
    private static final ObjectMapper JSON = new ObjectMapper();

    static MockOAuth2Server campusIdp;
    static MockOAuth2Server realmIdp;
    static KeyProvider realmKeys;
    static final Tokens localTokens = new Tokens();
    static EnrollmentService a;
    static EnrollmentService twin;
    static EnrollmentService k;
    static Api api;
    static Api twinApi;
    static Api kApi;
    static String campusIssuer;
    static String registrar;
    static final List<String> keyWarnings = new CopyOnWriteArrayList<>();
    static AbstractAppender capture;

    @BeforeAll
    static void start() throws Exception {
        campusIdp = new MockOAuth2Server();
        campusIdp.start(InetAddress.getLoopbackAddress(), 0);
        campusIssuer = campusIdp.issuerUrl("campus").toString();
        // its first answer loads its JSON and key machinery: seconds on a busy machine, past the service's time-out
        try (var in = campusIdp.wellKnownUrl("campus").url().openStream()) {
            in.readAllBytes();
        }
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Map<String, String> variables = new HashMap<>(Map.of("OIDC_ISSUER", campusIssuer, "OIDC_AUDIENCE", AUDIENCE,
                "STORE_PREFIX", prefix, "JWT_PRIVATE_KEY_FILE", localTokens.pemFile(),
                "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
        a = TestService.start(variables);
        api = new Api(a);
        registrar = api.registrarToken();
        variables.put("LOCAL_ACCOUNTS", "false");
        twin = TestService.start(variables);
        twinApi = new Api(twin);

        // K starts while its issuer is down: one warning line, then the issuer comes up on the address K was given
        int realmPort = TestService.freePort();
        // as the server names itself in the tokens it issues (its host name, on the loopback address)
        String realmIssuer = "http://localhost:" + realmPort + "/realm";
        capture = new AbstractAppender("key-warnings", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                keyWarnings.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        ((LoggerContext) LogManager.getContext(false)).getLogger(IssuerKeySet.class.getName()).addAppender(capture);
        k = TestService.start(Map.of("OIDC_ISSUER", realmIssuer, "OIDC_AUDIENCE", AUDIENCE,
                "OIDC_ROLES_CLAIM", "realm_access.roles",
                "OIDC_ROLE_MAP", "student=Student,faculty=Instructor,staff=Registrar,staff=Instructor",
                "OIDC_NAME_CLAIM", "given_name", "OIDC_JWKS_CACHE", "2s"));
        kApi = new Api(k);
        Background.eventually(() -> assertThat(keyWarnings).isNotEmpty());
        realmKeys = new KeyProvider();
        realmIdp = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(realmKeys)));
        realmIdp.start(InetAddress.getLoopbackAddress(), realmPort);
        JWKSet.load(realmIdp.jwksUrl("realm").url());
    }

    @AfterAll
    static void stop() {
        if (capture != null) {
            ((LoggerContext) LogManager.getContext(false)).getLogger(IssuerKeySet.class.getName())
                    .removeAppender(capture);
        }
        for (AutoCloseable service : new AutoCloseable[] {k, twin, a}) {
            try {
                if (service != null) {
                    service.close();
                }
            } catch (Exception ignored) {
                // the next one still closes
            }
        }
        campusIdp.shutdown();
        if (realmIdp != null) {
            realmIdp.shutdown();
        }
    }

    /** An access token of the issuer {@code issuerId} for this API, with the given claims, valid for an hour. */
    static String token(MockOAuth2Server idp, String issuerId, String subject, Map<String, Object> claims) {
        return token(idp, issuerId, subject, AUDIENCE, claims, 3600);
    }

    static String token(MockOAuth2Server idp, String issuerId, String subject, String audience,
                        Map<String, Object> claims, long lifetimeSeconds) {
        return idp.issueToken(issuerId, "registration-portal", new DefaultOAuth2TokenCallback(issuerId, subject,
                JOSEObjectType.JWT.getType(), List.of(audience), claims, lifetimeSeconds)).serialize();
    }

    static String campusToken(String subject, String name, Object roles) {
        return token(campusIdp, "campus", subject, Map.of("roles", roles, "name", name,
                "preferred_username", subject + "@campus.example.edu"));
    }

    static String freshSubject() {
        return "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    @Test
    @Order(1)
    void anIssuerDownAtStartUpIsOneWarningAndTheServiceStarts() throws Exception {
        assertThat(kApi.get("/observe/health", null).status()).isEqualTo(200);
        // one warning, not one per later attempt
        Background.throughout(Duration.ofSeconds(1), () -> assertThat(keyWarnings).hasSize(1));
        assertThat(keyWarnings.get(0)).startsWith("WARN the identity provider http://localhost:")
                .contains("/realm did not give its keys");
    }

    @Test
    @Order(2)
    void aStudentAnInstructorAndARegistrarOfTheCampusUseTheApi() {
        String registrarSubject = freshSubject();
        String campusRegistrar = campusToken(registrarSubject, "Rita Registrar", List.of("Registrar"));
        // the registrar names an instructor before their first sign-in, by their subject
        String instructorSubject = freshSubject();
        Api.Response created = api.post("/registrar/users", campusRegistrar, Map.of("username",
                "hopper-" + instructorSubject, "name", "Grace Hopper", "roles", List.of("Instructor"),
                "subject", instructorSubject));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long instructorId = created.json().get("id").asLong();
        assertThat(created.json().get("subject").asText()).isEqualTo(instructorSubject);
        Api.Response taken = api.post("/registrar/users", campusRegistrar, Map.of("username", "other-"
                + instructorSubject, "name", "Someone", "roles", List.of("Instructor"), "subject", instructorSubject));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("code").asText()).isEqualTo("subject-taken");
        Api.Response withPassword = api.post("/registrar/users", campusRegistrar, Map.of("username", "pw-"
                + instructorSubject, "name", "Someone", "roles", List.of("Instructor"), "subject", freshSubject(),
                "password", "a password too"));
        assertThat(withPassword.status()).isEqualTo(400);

        Api.Response course = api.post("/registrar/classes", campusRegistrar, Map.of("department", "CPSC",
                "courseCode", "CPSC 4" + (System.nanoTime() % 90 + 10), "section", (int) (System.nanoTime() % 100_000),
                "title", "Compilers", "instructorId", instructorId, "capacity", 5));
        assertThat(course.status()).as(course.toString()).isEqualTo(201);
        long classId = course.json().get("id").asLong();

        String studentSubject = freshSubject();
        String student = campusToken(studentSubject, "Ada Lovelace", List.of("Student"));
        Api.Response enrolled = api.post("/student/enrollments/" + classId, student, null);
        assertThat(enrolled.status()).as(enrolled.toString()).isEqualTo(201);

        String instructor = campusToken(instructorSubject, "Grace Hopper", List.of("Instructor"));
        Api.Response mine = api.get("/instructor/classes", instructor);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.json().get("classes")).hasSize(1);
        assertThat(mine.json().get("classes").get(0).get("id").asLong()).isEqualTo(classId);
        JsonNode roster = api.get("/instructor/classes/" + classId + "/enrolled", instructor).json().get("students");
        assertThat(roster).hasSize(1);
        assertThat(roster.get(0).get("name").asText()).isEqualTo("Ada Lovelace");

        Api.Response bySubject = api.get("/registrar/users?subject=" + studentSubject, campusRegistrar);
        assertThat(bySubject.status()).isEqualTo(200);
        assertThat(bySubject.json().get("id").asLong()).isEqualTo(roster.get(0).get("id").asLong());
        assertThat(bySubject.json().get("username").asText()).isEqualTo(studentSubject + "@campus.example.edu");
        assertThat(bySubject.json().get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(bySubject.json().get("subject").asText()).isEqualTo(studentSubject);
        Api.Response byUsername = api.get("/registrar/users?username=" + studentSubject + "%40campus.example.edu",
                registrar);
        assertThat(byUsername.json().get("id").asLong()).isEqualTo(bySubject.json().get("id").asLong());
        Api.Response local = api.get("/registrar/users?username=registrar", registrar);
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.json().has("subject")).isFalse();

        Api.Response nobody = api.get("/registrar/users?subject=" + freshSubject(), registrar);
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.json().get("code").asText()).isEqualTo("user-not-found");
        for (String query : List.of("", "?subject=a&username=b", "?subject=a&subject=b", "?name=x", "?subject=")) {
            Api.Response bad = api.get("/registrar/users" + query, registrar);
            assertThat(bad.status()).as(query).isEqualTo(400);
            assertThat(bad.json().get("code").asText()).as(query).isEqualTo("invalid-request");
        }
        // a campus student may not look anyone up
        assertThat(api.get("/registrar/users?subject=" + studentSubject, student).status()).isEqualTo(403);
    }

    @Test
    @Order(3)
    void rolesComeFromAnArrayOrASpaceSeparatedStringAndUnknownValuesAreIgnored() {
        String both = campusToken(freshSubject(), "Teaching Assistant", "Student Instructor");
        assertThat(api.get("/student/enrollments", both).status()).isEqualTo(200);
        assertThat(api.get("/instructor/classes", both).status()).isEqualTo(200);
        assertThat(api.get("/registrar/users?username=registrar", both).status()).isEqualTo(403);

        String studentAndDean = campusToken(freshSubject(), "Dean Student", List.of("Student", "Dean"));
        assertThat(api.get("/student/enrollments", studentAndDean).status()).isEqualTo(200);
        assertThat(api.get("/instructor/classes", studentAndDean).status()).isEqualTo(403);

        String none = campusToken(freshSubject(), "Nobody", List.of());
        Api.Response forbidden = api.get("/student/enrollments", none);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("code").asText()).isEqualTo("forbidden");
    }

    @Test
    @Order(4)
    void rolesComeFromADottedPathThroughTheRoleMap() throws Exception {
        String staff = token(realmIdp, "realm", freshSubject(), Map.of("given_name", "Stan",
                "realm_access", Map.of("roles", List.of("staff", "offline_access"))));
        assertThat(kApi.get("/registrar/users?username=registrar", staff).status()).isEqualTo(200);
        assertThat(kApi.get("/instructor/classes", staff).status()).isEqualTo(200);
        assertThat(kApi.get("/student/enrollments", staff).status()).isEqualTo(403);

        String studentSubject = freshSubject();
        String student = token(realmIdp, "realm", studentSubject, Map.of("given_name", "Sam",
                "realm_access", Map.of("roles", List.of("student"))));
        assertThat(kApi.get("/student/enrollments", student).status()).isEqualTo(200);
        assertThat(kApi.get("/instructor/classes", student).status()).isEqualTo(403);
        JsonNode user = kApi.get("/registrar/users?subject=" + studentSubject, staff).json();
        assertThat(user.get("name").asText()).isEqualTo("Sam");
        assertThat(user.get("roles").toString()).isEqualTo("[\"Student\"]");
        // an unmapped value, or the role's own name, gives nothing when there is a map
        String unmapped = token(realmIdp, "realm", freshSubject(), Map.of("realm_access",
                Map.of("roles", List.of("Student", "alumni"))));
        assertThat(kApi.get("/student/enrollments", unmapped).status()).isEqualTo(403);
    }

    @Test
    @Order(5)
    void everyFlawedCampusTokenIsA401WithTheBearerChallenge() throws Exception {
        String subject = freshSubject();
        Map<String, Object> claims = Map.of("roles", List.of("Registrar"), "name", "Mallory");
        RSAKey published = (RSAKey) JWKSet.load(campusIdp.jwksUrl("campus").url()).getKeys().get(0);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID(published.getKeyID()).generate();
        RSAKey strangerWithItsOwnKid = new RSAKeyGenerator(2048).keyID("never-published").generate();
        JWTClaimsSet valid = SignedJWT.parse(token(campusIdp, "campus", subject, claims)).getJWTClaimsSet();
        Map<String, String> flawed = new HashMap<>();
        flawed.put("wrong audience", token(campusIdp, "campus", subject, "another-api", claims, 3600));
        flawed.put("wrong issuer", token(campusIdp, "elsewhere", subject, claims));
        flawed.put("expired", token(campusIdp, "campus", subject, AUDIENCE, claims, -120));
        flawed.put("alg none", new PlainJWT(valid).serialize());
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
                valid);
        hmac.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        flawed.put("HMAC with the public key", hmac.serialize());
        flawed.put("a key the issuer never published, under its kid", rs256(stranger, valid));
        flawed.put("a key the issuer never published", rs256(strangerWithItsOwnKid, valid));

        // the control: the same claims, signed by the issuer, are accepted
        assertThat(api.get("/registrar/users?username=registrar", token(campusIdp, "campus", subject, claims))
                .status()).isEqualTo(200);
        flawed.forEach((flaw, token) -> {
            Api.Response answer = api.get("/registrar/users?username=registrar", token);
            assertThat(answer.status()).as(flaw).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).as(flaw).isEqualTo("Bearer");
            assertThat(answer.header("Content-Type")).as(flaw).startsWith("application/problem+json");
            assertThat(answer.json().get("code").asText()).as(flaw).isEqualTo("unauthorized");
        });
    }

    @Test
    @Order(6)
    void aBurstOfUnknownKeyIdsFetchesTheKeySetAtMostTwice() throws Exception {
        String valid = campusToken(freshSubject(), "Control", List.of("Student"));
        assertThat(api.get("/student/enrollments", valid).status()).isEqualTo(200);
        drain(campusIdp);
        RSAKey stranger = new RSAKeyGenerator(2048).generate();
        JWTClaimsSet claims = SignedJWT.parse(valid).getJWTClaimsSet();
        List<String> forged = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            forged.add(rs256(new RSAKey.Builder(stranger).keyID("kid-" + UUID.randomUUID()).build(), claims));
        }
        List<Api.Response> answers = Concurrently.run(60, i -> api.get("/student/enrollments", forged.get(i)));
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(401));
        long fetches = drain(campusIdp).stream().filter(path -> path.endsWith("/jwks")).count();
        assertThat(fetches).isLessThanOrEqualTo(2);
        // the keys fetched before still serve a new token of the issuer
        assertThat(api.get("/student/enrollments", campusToken(freshSubject(), "After", List.of("Student"))).status())
                .isEqualTo(200);
    }

    @Test
    @Order(7)
    void twoInstancesFirstSeeingTheSameSubjectAtOnceCreateOneUser() throws Exception {
        String instructorSubject = freshSubject();
        long instructorId = api.post("/registrar/users", registrar, Map.of("username", "i-" + instructorSubject,
                "name", "Instructor", "roles", List.of("Instructor"), "subject", instructorSubject)).json()
                .get("id").asLong();
        long classId = api.post("/registrar/classes", registrar, Map.of("department", "CPSC",
                "courseCode", "CPSC 5" + (System.nanoTime() % 90 + 10), "section", (int) (System.nanoTime() % 100_000),
                "title", "Distributed Systems", "instructorId", instructorId, "capacity", 30)).json().get("id").asLong();
        String subject = freshSubject();
        // every request its own token, so that each one (not only the first per instance) looks the subject up
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tokens.add(campusToken(subject, "Racer", List.of("Student")));
        }
        List<Api.Response> answers = Concurrently.run(16, i -> (i % 2 == 0 ? api : twinApi)
                .post("/student/enrollments/" + classId, tokens.get(i), null));
        assertThat(answers.stream().filter(answer -> answer.status() == 201)).hasSize(1);
        assertThat(answers.stream().filter(answer -> answer.status() == 409)).hasSize(15)
                .allSatisfy(answer -> assertThat(answer.json().get("code").asText()).isEqualTo("already-enrolled"));
        String instructor = campusToken(instructorSubject, "Instructor", List.of("Instructor"));
        JsonNode roster = api.get("/instructor/classes/" + classId + "/enrolled", instructor).json().get("students");
        assertThat(roster).hasSize(1);
        assertThat(roster.get(0).get("id").asLong())
                .isEqualTo(api.get("/registrar/users?subject=" + subject, registrar).json().get("id").asLong());
    }

    @Test
    @Order(8)
    void withoutLocalAccountsOnlyTheBootstrapRegistrarLogsIn() {
        JsonNode student = api.registerStudent("Local Student");
        Api.Response register = twinApi.post("/auth/register", null, Map.of("username", "x" + freshSubject(),
                "password", "a long password", "name", "Nobody"));
        assertThat(register.status()).isEqualTo(404);
        assertThat(register.header("Content-Type")).startsWith("application/problem+json");
        Api.Response login = twinApi.post("/auth/login", null, Map.of("username", student.get("username").asText(),
                "password", "correct horse battery"));
        assertThat(login.status()).isEqualTo(401);
        assertThat(login.json().get("code").asText()).isEqualTo("bad-credentials");
        assertThat(twinApi.login("registrar", "registrar")).isNotBlank();
        // the same account still logs in where local accounts are on
        assertThat(api.login(student.get("username").asText(), "correct horse battery")).isNotBlank();
        // a user of the identity provider has no password here
        String subject = freshSubject();
        assertThat(api.get("/student/enrollments", campusToken(subject, "Campus", List.of("Student"))).status())
                .isEqualTo(200);
        Api.Response campusLogin = api.post("/auth/login", null, Map.of("username", subject + "@campus.example.edu",
                "password", "anything at all"));
        assertThat(campusLogin.status()).isEqualTo(401);
        assertThat(campusLogin.json().get("code").asText()).isEqualTo("bad-credentials");
    }

    @Test
    @Order(9)
    void aCampusStudentWhoNeverRegisteredIsPromotedFromTheWaitingListAndNotified() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            long instructorId = api.post("/registrar/users", registrar, Map.of("username", "i" + freshSubject(),
                    "password", "instructor password", "name", "Prof", "roles", List.of("Instructor"))).json()
                    .get("id").asLong();
            long classId = api.post("/registrar/classes", registrar, Map.of("department", "CPSC",
                    "courseCode", "CPSC 3" + (System.nanoTime() % 90 + 10), "section",
                    (int) (System.nanoTime() % 100_000), "title", "Operating Systems", "instructorId", instructorId,
                    "capacity", 1)).json().get("id").asLong();
            String seated = localTokens.student(Tokens.freshId());
            assertThat(api.post("/student/enrollments/" + classId, seated, null).status()).isEqualTo(201);

            String subject = freshSubject();
            String campusStudent = campusToken(subject, "Katherine Johnson", List.of("Student"));
            Api.Response waiting = api.post("/student/enrollments/" + classId, campusStudent, null);
            assertThat(waiting.status()).isEqualTo(202);
            assertThat(waiting.json().get("position").asInt()).isEqualTo(1);
            assertThat(api.post("/student/subscribe/" + classId, campusStudent,
                    Map.of("callbackUrl", receiver.url("/hooks/" + subject))).status()).isEqualTo(201);

            assertThat(api.delete("/student/enrollments/" + classId, seated).status()).isEqualTo(200);
            List<WebhookReceiver.Received> hooks = receiver.await(1, 15_000);
            assertThat(hooks).hasSize(1);
            JsonNode event = JSON.readTree(hooks.get(0).body());
            long id = api.get("/registrar/users?subject=" + subject, registrar).json().get("id").asLong();
            assertThat(event.get("type").asText()).isEqualTo("enrolled");
            assertThat(event.get("studentId").asLong()).isEqualTo(id);
            assertThat(event.get("classId").asLong()).isEqualTo(classId);
            JsonNode mine = api.get("/student/enrollments", campusStudent).json();
            assertThat(mine.get("enrolled")).hasSize(1);
            assertThat(mine.get("enrolled").get(0).get("id").asLong()).isEqualTo(classId);
        }
    }

    @Test
    @Order(10)
    void theIssuerRotatesItsKeyAndNewTokensAreAcceptedWithoutARestart() throws Exception {
        String before = token(realmIdp, "realm", freshSubject(), Map.of("realm_access",
                Map.of("roles", List.of("student"))));
        assertThat(kApi.get("/student/enrollments", before).status()).isEqualTo(200);
        JWK old = realmKeys.signingKey("realm");
        // the provider's next key, under a new kid; the old one is no longer published
        signingKeys(realmKeys).put("realm", new RSAKeyGenerator(2048).keyID("realm-2").generate());
        String after = token(realmIdp, "realm", freshSubject(), Map.of("realm_access",
                Map.of("roles", List.of("student"))));
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo("realm-2").isNotEqualTo(old.getKeyID());
        // accepted once the refetch rate limit (half of the 2 s cache) of the earlier tests' fetches has passed
        Background.eventually(Duration.ofSeconds(5),
                () -> assertThat(kApi.get("/student/enrollments", after).status()).isEqualTo(200));
    }

    @Test
    @Order(11)
    void whileTheIssuerIsDownTokensSignedWithKnownKeysAreStillAccepted() throws Exception {
        String known = token(realmIdp, "realm", freshSubject(), Map.of("realm_access",
                Map.of("roles", List.of("student"))));
        String alsoKnown = token(realmIdp, "realm", freshSubject(), Map.of("realm_access",
                Map.of("roles", List.of("student"))));
        assertThat(kApi.get("/student/enrollments", alsoKnown).status()).isEqualTo(200);
        realmIdp.shutdown();
        // well past the 2-second cache, then one request: the service tries to fetch the keys again and cannot (a
        // clock to pass: polled with requests every 50 ms instead, the failed refetch did not show within 10 s)
        Background.after(java.time.Instant.now().plusSeconds(5));
        assertThat(kApi.get("/student/enrollments", known).status()).isEqualTo(200);
        assertThat(keyWarnings.size()).isGreaterThan(1);
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("realm-3").generate();
        Api.Response unknown = kApi.get("/student/enrollments",
                rs256(stranger, SignedJWT.parse(known).getJWTClaimsSet()));
        assertThat(unknown.status()).isEqualTo(401);
    }

    @Test
    @Order(12)
    void theOpenApiDocumentDescribesBothSchemes() {
        JsonNode document = api.get("/openapi.json", null).json();
        JsonNode schemes = document.get("components").get("securitySchemes");
        assertThat(schemes.get("bearer").get("type").asText()).isEqualTo("http");
        assertThat(schemes.get("campus").get("type").asText()).isEqualTo("openIdConnect");
        assertThat(schemes.get("campus").get("openIdConnectUrl").asText())
                .isEqualTo(campusIssuer + "/.well-known/openid-configuration");
        JsonNode enroll = document.get("paths").get("/student/enrollments/{classId}").get("post");
        assertThat(enroll.get("security").toString())
                .isEqualTo("[{\"bearer\":[\"Student\"]},{\"campus\":[\"Student\"]}]");
        assertThat(document.get("paths").get("/auth/login").get("post").has("security")).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static ConcurrentHashMap<String, JWK> signingKeys(KeyProvider keys) throws Exception {
        // mock-oauth2-server signs with one key per issuer and has no rotation of its own
        Field field = KeyProvider.class.getDeclaredField("signingKeys");
        field.setAccessible(true);
        return (ConcurrentHashMap<String, JWK>) field.get(keys);
    }

    /** The paths of the requests the issuer received since the last call. */
    private static List<String> drain(MockOAuth2Server idp) {
        List<String> paths = new java.util.ArrayList<>();
        while (true) {
            RecordedRequest request;
            try {
                request = idp.takeRequest(200, TimeUnit.MILLISECONDS);
            } catch (RuntimeException none) {
                // mock-oauth2-server's way of saying that no request came within the time-out
                return paths;
            }
            paths.add(request.getPath());
        }
    }

    private static String rs256(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
