package api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.camel.Route;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.spi.RestConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.Api;
import support.Campus;
import support.RunningService;
import support.WebhookReceiver;

/**
 * {@code GET /openapi.json} (docs/api.md "Operations"): fetched from a running service, valid OpenAPI by swagger-parser,
 * one operation per REST route, the bearer-JWT scheme and each path's role, and every status (and problem code) that
 * real requests to each operation get documented for that operation.
 */
class OpenApiDocumentTest {

    /** A webhook target on loopback answers 400, so a delivery becomes a dead letter at once (for replay's 202). */
    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));

    /**
     * The statuses the requests of {@link #observeEveryOperation} get, per operation: the table the document is
     * checked against. Not observed, so not here: 409 not-replayable (needs a queue message that is no event, see
     * PoisonMessagesTest) and the answers of a failing store (500, 503), which every operation documents anyway.
     */
    private static final Map<String, Set<Integer>> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("POST /auth/register", Set.of(201, 400, 409, 413, 415)),
            Map.entry("POST /auth/login", Set.of(200, 400, 401)),
            Map.entry("GET /auth/jwks.json", Set.of(200)),
            Map.entry("POST /registrar/users", Set.of(201, 400, 401, 403, 409)),
            Map.entry("GET /registrar/users", Set.of(200, 400, 401, 403, 404)),
            Map.entry("GET /student/classes", Set.of(200, 401, 403)),
            Map.entry("GET /student/enrollments", Set.of(200, 401, 403)),
            Map.entry("POST /student/enrollments/{classId}", Set.of(201, 202, 400, 401, 403, 404, 409)),
            Map.entry("DELETE /student/enrollments/{classId}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("GET /student/waitlist/{classId}", Set.of(200, 304, 400, 401, 403, 404)),
            Map.entry("DELETE /student/waitlist/{classId}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("POST /student/subscribe/{classId}", Set.of(200, 201, 400, 401, 403, 404)),
            Map.entry("GET /student/subscriptions", Set.of(200, 401, 403)),
            Map.entry("DELETE /student/unsubscribe/{classId}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("POST /student/subscriptions/{classId}/secret", Set.of(200, 400, 401, 403, 404)),
            Map.entry("GET /instructor/classes", Set.of(200, 401, 403)),
            Map.entry("GET /instructor/classes/{classId}/enrolled", Set.of(200, 400, 401, 403, 404)),
            Map.entry("GET /instructor/classes/{classId}/dropped", Set.of(200, 400, 401, 403)),
            Map.entry("GET /instructor/classes/{classId}/waitlist", Set.of(200, 304, 400, 401, 403)),
            Map.entry("DELETE /instructor/classes/{classId}/students/{studentId}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("PUT /instructor/classes/{classId}/permits/{studentId}",
                    Set.of(200, 201, 400, 401, 403, 404)),
            Map.entry("POST /registrar/classes", Set.of(201, 400, 401, 403, 409)),
            Map.entry("GET /registrar/classes/{classId}", Set.of(200, 304, 400, 401, 403, 404)),
            Map.entry("PATCH /registrar/classes/{classId}", Set.of(200, 400, 401, 403, 404, 412)),
            Map.entry("DELETE /registrar/classes/{classId}", Set.of(200, 400, 401, 403, 404, 412)),
            Map.entry("PUT /registrar/auto-enrollment", Set.of(200, 400, 401, 403)),
            Map.entry("GET /registrar/dead-letters", Set.of(200, 401, 403)),
            Map.entry("POST /registrar/dead-letters/{id}/replay", Set.of(202, 401, 403, 404)),
            Map.entry("POST /registrar/dead-letters/replay", Set.of(202, 400, 401, 403)),
            Map.entry("GET /student/registration", Set.of(200, 401, 403)),
            Map.entry("POST /registrar/registration-windows", Set.of(200, 400, 401, 403, 413, 415)),
            Map.entry("PUT /registrar/registration-windows/default", Set.of(200, 400, 401, 403)),
            Map.entry("GET /registrar/students/{studentId}/registration", Set.of(200, 400, 401, 403, 404)),
            Map.entry("GET /registrar/students/{studentId}/holds", Set.of(200, 400, 401, 403, 404)),
            Map.entry("PUT /registrar/students/{studentId}/holds/{code}", Set.of(200, 201, 400, 401, 403, 404)),
            Map.entry("DELETE /registrar/students/{studentId}/holds/{code}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("POST /registrar/completed-courses", Set.of(200, 400, 401, 403, 413, 415)),
            Map.entry("GET /registrar/students/{studentId}/completed-courses", Set.of(200, 400, 401, 403, 404)),
            Map.entry("DELETE /registrar/students/{studentId}/completed-courses/{courseCode}",
                    Set.of(200, 400, 401, 403, 404)),
            Map.entry("PUT /registrar/students/{studentId}/max-credits", Set.of(200, 400, 401, 403, 404)),
            Map.entry("DELETE /registrar/students/{studentId}/max-credits", Set.of(200, 400, 401, 403, 404)),
            Map.entry("PUT /registrar/students/{studentId}/permits/{classId}", Set.of(200, 201, 400, 401, 403, 404)),
            Map.entry("GET /registrar/students/{studentId}/permits", Set.of(200, 400, 401, 403, 404)),
            Map.entry("DELETE /registrar/students/{studentId}/permits/{classId}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("GET /student/offers", Set.of(200, 401, 403)),
            Map.entry("POST /student/offers/{classId}", Set.of(201, 400, 401, 403, 404)),
            Map.entry("DELETE /student/offers/{classId}", Set.of(200, 400, 401, 403, 404)),
            Map.entry("POST /student/swaps", Set.of(200, 202, 400, 401, 403, 404, 409))));

    /** The JWK set of RFC 7517 has no Java type to read a schema from: its answer is described in words. */
    private static final Set<String> UNTYPED = Set.of("GET /auth/jwks.json");

    static Api api;
    static Campus campus;
    static OpenAPI document;

    /** What the requests got: per operation, per status, the answers' problem codes (none for a success). */
    private final Map<String, Map<Integer, Set<String>>> observed = new TreeMap<>();
    /** The 2xx answers' JSON bodies, per operation and status, to hold against the documented schemas. */
    private final Map<String, Map<Integer, JsonNode>> bodies = new HashMap<>();

    @BeforeAll
    static void fetchTheDocument() {
        api = running.api;
        campus = running.campus;
        Api.Response answer = api.get("/openapi.json", null);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(answer.body(), null, options);
        assertThat(parsed.getMessages()).as("swagger-parser's messages").isEmpty();
        document = parsed.getOpenAPI();
        assertThat(document).isNotNull();
    }

    @Test
    void isOpenApi31WithTheServicesInfo() {
        assertThat(document.getOpenapi()).isEqualTo("3.1.0");
        assertThat(document.getInfo().getTitle()).isEqualTo("Course enrollment and notification service");
        // the pom's version, which surefire passes on
        assertThat(document.getInfo().getVersion()).isEqualTo(System.getProperty("project.version")).isNotBlank();
        assertThat(document.getInfo().getDescription()).contains("application/problem+json");
    }

    @Test
    void isBuiltOnceAndServedFast() {
        List<Long> millis = new ArrayList<>();
        String first = api.get("/openapi.json", null).body();
        for (int i = 0; i < 21; i++) {
            long start = System.nanoTime();
            assertThat(api.get("/openapi.json", null).body()).isEqualTo(first);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        // building it reads every type of the REST DSL (hundreds of ms); a kept document is bytes sent
        assertThat(millis.stream().sorted().toList().get(10)).as("median of " + millis + " ms").isLessThan(100);
    }

    /** The REST DSL's type and outType describe the bodies; Camel's JSON binding must not start reading them. */
    @Test
    void theTypesLeaveCamelsBindingOff() {
        assertThat(running.service.camelContext().getRestConfiguration().getBindingMode())
                .isEqualTo(RestConfiguration.RestBindingMode.off);
    }

    @Test
    void everyRestRouteIsAnOperationAndNothingElseIs() {
        Set<String> routes = new TreeSet<>();
        for (RestDefinition rest : running.service.camelContext().getCamelContextExtension()
                .getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                if (!"false".equals(verb.getApiDocs() != null ? verb.getApiDocs() : rest.getApiDocs())) {
                    String path = (rest.getPath() + (verb.getPath() == null ? "" : "/" + verb.getPath()))
                            .replaceAll("//+", "/");
                    routes.add(verb.asVerb().toUpperCase(Locale.ROOT) + " " + path);
                }
            }
        }
        assertThat(operations().keySet()).isEqualTo(routes).isEqualTo(EXPECTED.keySet());
        // one name per flow: the operationId is the id of the route that answers the operation (its flow inlined)
        operations().forEach((operation, described) -> {
            assertThat(described.getSummary()).as(operation).isNotBlank();
            Route route = running.service.camelContext().getRoute(described.getOperationId());
            assertThat(route).as(operation + " is answered by the route " + described.getOperationId()).isNotNull();
            String verb = operation.substring(0, operation.indexOf(' ')).toLowerCase(Locale.ROOT);
            assertThat(route.getEndpoint().getEndpointUri()).as(operation).startsWith("rest://" + verb + ":");
        });
    }

    @Test
    void theBearerSchemeGuardsEachPathWithItsRole() {
        SecurityScheme bearer = document.getComponents().getSecuritySchemes().get("bearer");
        assertThat(bearer.getType()).isEqualTo(SecurityScheme.Type.HTTP);
        assertThat(bearer.getScheme()).isEqualTo("bearer");
        assertThat(bearer.getBearerFormat()).isEqualTo("JWT");
        Map<String, String> roles = Map.of("/student/", "Student", "/instructor/", "Instructor",
                "/registrar/", "Registrar");
        operations().forEach((operation, described) -> {
            String path = operation.substring(operation.indexOf(' ') + 1);
            String role = roles.entrySet().stream().filter(prefix -> path.startsWith(prefix.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (role == null) {
                assertThat(described.getSecurity()).as(operation).isNullOrEmpty();
                assertThat(described.getDescription()).as(operation).contains("no token");
            } else {
                assertThat(described.getSecurity()).as(operation)
                        .containsExactly(new SecurityRequirement().addList("bearer", role));
                assertThat(described.getDescription()).as(operation).contains("the " + role + " role");
                assertThat(described.getResponses()).as(operation).containsKeys("401", "403");
            }
        });
    }

    @Test
    void problemAnswersAreRfc9457() {
        Schema<?> problem = document.getComponents().getSchemas().get("Problem");
        assertThat(problem.getProperties()).containsOnlyKeys("type", "title", "status", "detail", "code");
        operations().forEach((operation, described) -> described.getResponses().forEach((status, response) -> {
            if (status.compareTo("400") >= 0) {
                assertThat(response.getContent()).as(operation + " " + status)
                        .containsOnlyKeys("application/problem+json");
                assertThat(response.getContent().get("application/problem+json").getSchema().get$ref())
                        .isEqualTo("#/components/schemas/Problem");
            }
        }));
    }

    /** docs/api.md "Classes": the class and both requests that set its fields carry what the registration rules check. */
    @Test
    void theClassAndItsRequestsDescribeCreditsMeetingsAndPrerequisites() {
        Map<String, Operation> operations = operations();
        Map<String, Schema<?>> schemas = Map.of(
                "the class", operations.get("GET /registrar/classes/{classId}").getResponses().get("200").getContent()
                        .get("application/json").getSchema(),
                "the new class", operations.get("POST /registrar/classes").getRequestBody().getContent()
                        .get("application/json").getSchema(),
                "the change", operations.get("PATCH /registrar/classes/{classId}").getRequestBody().getContent()
                        .get("application/json").getSchema());
        schemas.forEach((name, schema) -> {
            Map<String, Schema> properties = resolve(schema).getProperties();
            assertThat(type(properties.get("credits"))).as(name + ": credits").isEqualTo("integer");
            Schema<?> meetings = properties.get("meetings");
            assertThat(type(meetings)).as(name + ": meetings").isEqualTo("array");
            Schema<?> meeting = resolve(meetings.getItems());
            assertThat(meeting.getProperties()).as(name + ": a meeting").containsOnlyKeys("days", "start", "end");
            meeting.getProperties().forEach((field, value) ->
                    assertThat(type(value)).as(name + ": a meeting's " + field).isEqualTo("string"));
            Schema<?> prerequisites = properties.get("prerequisites");
            assertThat(type(prerequisites)).as(name + ": prerequisites").isEqualTo("array");
            assertThat(type(prerequisites.getItems())).as(name + ": a prerequisite group").isEqualTo("array");
            assertThat(type(prerequisites.getItems().getItems())).as(name + ": a course code").isEqualTo("string");
        });
        String created = operations.get("POST /registrar/classes").getRequestBody().getDescription();
        String changed = operations.get("PATCH /registrar/classes/{classId}").getRequestBody().getDescription();
        assertThat(created).contains("credits", "meetings", "prerequisites");
        assertThat(changed).contains("credits", "meetings", "prerequisites");
        assertThat(operations.get("POST /registrar/classes").getResponses().get("400").getDescription())
                .contains("credits", "meeting", "prerequisites");
        assertThat(operations.get("PATCH /registrar/classes/{classId}").getResponses().get("400").getDescription())
                .contains("credits", "meeting", "prerequisites");
    }

    @Test
    void everyStatusAndProblemCodeThatRequestsGetIsDocumented() throws Exception {
        observeEveryOperation();

        Map<String, Set<Integer>> statuses = new TreeMap<>();
        observed.forEach((operation, answers) -> statuses.put(operation, answers.keySet()));
        assertThat(statuses).as("the statuses the requests got").isEqualTo(EXPECTED);
        Map<String, Operation> operations = operations();
        observed.forEach((operation, answers) -> answers.forEach((status, codes) -> {
            ApiResponse documented = operations.get(operation).getResponses().get(Integer.toString(status));
            assertThat(documented).as(operation + " answers " + status).isNotNull();
            assertThat(codes).allSatisfy(code -> assertThat(documented.getDescription())
                    .as(operation + " " + status + " names its problem codes").contains("`" + code + "`"));
        }));
        bodies.keySet().removeAll(UNTYPED);
        assertThat(bodies).hasSizeGreaterThan(20);
        bodies.forEach((operation, answers) -> answers.forEach((status, body) -> {
            MediaType json = operations.get(operation).getResponses().get(Integer.toString(status)).getContent()
                    .get("application/json");
            Set<String> fields = new TreeSet<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertThat(properties(json.getSchema())).as(operation + " " + status + " documents the answer's fields")
                    .containsAll(fields);
        }));
    }

    /** The document's operations by "METHOD /path". */
    private static Map<String, Operation> operations() {
        Map<String, Operation> operations = new TreeMap<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operations.put(method.name() + " " + path, operation)));
        return operations;
    }

    /** A schema, or the component it refers to. */
    private static Schema<?> resolve(Schema<?> schema) {
        return schema.get$ref() == null ? schema : document.getComponents().getSchemas()
                .get(schema.get$ref().substring("#/components/schemas/".length()));
    }

    /** A schema's one type, whether written as OpenAPI 3.0's {@code type} or 3.1's type array. */
    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        assertThat(schema.getTypes()).as(schema.toString()).hasSize(1);
        return schema.getTypes().iterator().next();
    }

    /** The property names of a schema or of the component it refers to. */
    private static Set<String> properties(Schema<?> schema) {
        Schema<?> resolved = resolve(schema);
        return resolved.getProperties() == null ? Set.of() : resolved.getProperties().keySet();
    }

    /** Real requests for every operation: its successes, its refusals, and the answers of authentication. */
    private void observeEveryOperation() throws Exception {
        accounts();
        Campus.Instructor owner = campus.instructor();
        long classId = campus.classOf(owner, 1).get("id").asLong();
        studentFlows(classId);
        instructorFlows(owner);
        registrarFlows(owner);
        registrationFlows(classId);
        studentRecordFlows(owner);
        offerFlows(owner);
        ruleFlows(owner);
        deadLetters(owner);
        authenticationAndIds();
    }

    private void accounts() {
        String username = "u" + UUID.randomUUID().toString().substring(0, 10);
        Map<String, Object> account = Map.of("username", username, "password", "a long password", "name", "Ada");
        call("POST /auth/register", "/auth/register", null, account, Map.of());
        call("POST /auth/register", "/auth/register", null, account, Map.of());
        call("POST /auth/register", "/auth/register", null, "{}", Map.of());
        call("POST /auth/register", "/auth/register", null, "{\"name\": \"" + "x".repeat(70_000) + "\"}", Map.of());
        call("POST /auth/register", "/auth/register", null, "{}", Map.of("Content-Type",
                "application/json; charset=iso-8859-1"));
        call("POST /auth/login", "/auth/login", null, Map.of("username", username, "password", "a long password"),
                Map.of());
        call("POST /auth/login", "/auth/login", null, Map.of("username", username, "password", "wrong password"),
                Map.of());
        call("POST /auth/login", "/auth/login", null, "{}", Map.of());
        call("GET /auth/jwks.json", "/auth/jwks.json", null, null, Map.of());
        Map<String, Object> user = Map.of("username", "i" + username, "password", "a long password", "name", "Ida",
                "roles", List.of("Instructor"));
        call("POST /registrar/users", "/registrar/users", campus.registrar, user, Map.of());
        call("POST /registrar/users", "/registrar/users", campus.registrar, user, Map.of());
        call("POST /registrar/users", "/registrar/users", campus.registrar, Map.of("username", "x"), Map.of());
        call("GET /registrar/users", "/registrar/users?username=i" + username, campus.registrar, null, Map.of());
        call("GET /registrar/users", "/registrar/users?username=nobody-" + username, campus.registrar, null, Map.of());
        call("GET /registrar/users", "/registrar/users?subject=a&username=b", campus.registrar, null, Map.of());
    }

    private void studentFlows(long classId) {
        Campus.Student seated = campus.student();
        Campus.Student waiting = campus.student();
        String enrollment = "/student/enrollments/" + classId;
        String waitlist = "/student/waitlist/" + classId;
        call("GET /student/classes", "/student/classes", seated.token(), null, Map.of());
        call("POST /student/enrollments/{classId}", enrollment, seated.token(), null, Map.of());
        call("POST /student/enrollments/{classId}", enrollment, waiting.token(), null, Map.of());
        call("POST /student/enrollments/{classId}", enrollment, seated.token(), null, Map.of());
        call("POST /student/enrollments/{classId}", "/student/enrollments/999999999", seated.token(), null, Map.of());
        call("GET /student/enrollments", "/student/enrollments", waiting.token(), null, Map.of());
        Api.Response position = call("GET /student/waitlist/{classId}", waitlist, waiting.token(), null, Map.of());
        call("GET /student/waitlist/{classId}", waitlist, waiting.token(), null,
                Map.of("If-None-Match", position.header("ETag")));
        call("GET /student/waitlist/{classId}", waitlist, seated.token(), null, Map.of());
        call("DELETE /student/waitlist/{classId}", waitlist, seated.token(), null, Map.of());
        call("DELETE /student/waitlist/{classId}", waitlist, waiting.token(), null, Map.of());
        call("DELETE /student/enrollments/{classId}", enrollment, seated.token(), null, Map.of());
        call("DELETE /student/enrollments/{classId}", enrollment, seated.token(), null, Map.of());

        String subscribe = "/student/subscribe/" + classId;
        call("POST /student/subscribe/{classId}", subscribe, seated.token(), Map.of("email", "ada@example.org"),
                Map.of());
        call("POST /student/subscribe/{classId}", subscribe, seated.token(), Map.of("email", "ada@example.org"),
                Map.of());
        call("POST /student/subscribe/{classId}", subscribe, seated.token(), "{}", Map.of());
        call("POST /student/subscribe/{classId}", "/student/subscribe/999999999", seated.token(),
                Map.of("email", "ada@example.org"), Map.of());
        call("GET /student/subscriptions", "/student/subscriptions", seated.token(), null, Map.of());
        String secret = "/student/subscriptions/" + classId + "/secret";
        call("POST /student/subscriptions/{classId}/secret", secret, seated.token(), null, Map.of());
        call("DELETE /student/unsubscribe/{classId}", "/student/unsubscribe/" + classId, seated.token(), null,
                Map.of());
        call("DELETE /student/unsubscribe/{classId}", "/student/unsubscribe/" + classId, seated.token(), null,
                Map.of());
        call("POST /student/subscriptions/{classId}/secret", secret, seated.token(), null, Map.of());
    }

    private void instructorFlows(Campus.Instructor owner) {
        long classId = campus.classOf(owner, 5).get("id").asLong();
        List<Campus.Student> students = campus.enrollNew(classId, 2);
        String roster = "/instructor/classes/" + classId;
        call("GET /instructor/classes", "/instructor/classes", owner.token(), null, Map.of());
        call("GET /instructor/classes/{classId}/enrolled", roster + "/enrolled", owner.token(), null, Map.of());
        call("GET /instructor/classes/{classId}/enrolled", roster + "/enrolled", campus.instructor().token(), null,
                Map.of());
        call("GET /instructor/classes/{classId}/enrolled", "/instructor/classes/999999999/enrolled", owner.token(),
                null, Map.of());
        call("GET /instructor/classes/{classId}/dropped", roster + "/dropped", owner.token(), null, Map.of());
        Api.Response waiting = call("GET /instructor/classes/{classId}/waitlist", roster + "/waitlist",
                owner.token(), null, Map.of());
        call("GET /instructor/classes/{classId}/waitlist", roster + "/waitlist", owner.token(), null,
                Map.of("If-None-Match", waiting.header("ETag")));
        String drop = roster + "/students/" + students.get(0).id();
        call("DELETE /instructor/classes/{classId}/students/{studentId}", drop, owner.token(), null, Map.of());
        call("DELETE /instructor/classes/{classId}/students/{studentId}", drop, owner.token(), null, Map.of());
    }

    private void registrarFlows(Campus.Instructor owner) {
        String registrar = campus.registrar;
        Map<String, Object> section = Map.of("department", "MATH", "courseCode", "MATH " + System.nanoTime() % 1000,
                "section", 7, "title", "Linear Algebra", "instructorId", owner.id(), "capacity", 20);
        Api.Response created = call("POST /registrar/classes", "/registrar/classes", registrar, section, Map.of());
        call("POST /registrar/classes", "/registrar/classes", registrar, section, Map.of());
        Map<String, Object> noSeats = new HashMap<>(section);
        noSeats.put("capacity", 0);
        call("POST /registrar/classes", "/registrar/classes", registrar, noSeats, Map.of());

        String course = "/registrar/classes/" + created.json().get("id").asLong();
        String missing = "/registrar/classes/999999999";
        Api.Response shown = call("GET /registrar/classes/{classId}", course, registrar, null, Map.of());
        call("GET /registrar/classes/{classId}", course, registrar, null,
                Map.of("If-None-Match", shown.header("ETag")));
        call("GET /registrar/classes/{classId}", missing, registrar, null, Map.of());
        call("PATCH /registrar/classes/{classId}", course, registrar, Map.of("capacity", 25),
                Map.of("If-Match", shown.header("ETag")));
        call("PATCH /registrar/classes/{classId}", course, registrar, Map.of("capacity", 30),
                Map.of("If-Match", shown.header("ETag")));
        call("PATCH /registrar/classes/{classId}", missing, registrar, Map.of("capacity", 30), Map.of());
        call("DELETE /registrar/classes/{classId}", course, registrar, null, Map.of("If-Match", shown.header("ETag")));
        call("DELETE /registrar/classes/{classId}", course, registrar, null, Map.of());
        call("DELETE /registrar/classes/{classId}", course, registrar, null, Map.of());
        call("PUT /registrar/auto-enrollment", "/registrar/auto-enrollment", registrar, Map.of("enabled", true),
                Map.of());
        call("PUT /registrar/auto-enrollment", "/registrar/auto-enrollment", registrar, "{}", Map.of());
    }

    /** Registration windows and holds, and the enroll request they refuse. */
    private void registrationFlows(long classId) {
        String registrar = campus.registrar;
        Campus.Student student = campus.registeredStudent();
        String windows = "/registrar/registration-windows";
        call("POST " + windows, windows, registrar, "studentId,opensAt\n" + student.id() + ",2020-01-01T00:00:00Z\n",
                Map.of("Content-Type", "text/csv"));
        call("POST " + windows, windows, registrar, "studentId,opensAt\n" + student.id() + ",soon\n",
                Map.of("Content-Type", "text/csv"));
        call("POST " + windows, windows, registrar, "studentId,opensAt\n", Map.of("Content-Type", "text/plain"));
        call("POST " + windows, windows, registrar, "x".repeat(8 * 1024 * 1024 + 1), Map.of("Content-Type", "text/csv"));
        String defaultWindow = windows + "/default";
        call("PUT " + defaultWindow, defaultWindow, registrar, Map.of(), Map.of());
        call("PUT " + defaultWindow, defaultWindow, registrar, Map.of("opensAt", "soon"), Map.of());
        String person = "/registrar/students/" + student.id();
        call("PUT /registrar/students/{studentId}/holds/{code}", person + "/holds/library", registrar,
                Map.of("reason", "Overdue books"), Map.of());
        call("PUT /registrar/students/{studentId}/holds/{code}", person + "/holds/library", registrar,
                Map.of("reason", "Overdue books, again"), Map.of());
        call("PUT /registrar/students/{studentId}/holds/{code}", person + "/holds/Library!", registrar,
                Map.of("reason", "Overdue books"), Map.of());
        call("POST /student/enrollments/{classId}", "/student/enrollments/" + classId, student.token(), null, Map.of());
        call("GET /student/registration", "/student/registration", student.token(), null, Map.of());
        call("GET /registrar/students/{studentId}/registration", person + "/registration", registrar, null, Map.of());
        call("GET /registrar/students/{studentId}/holds", person + "/holds", registrar, null, Map.of());
        call("DELETE /registrar/students/{studentId}/holds/{code}", person + "/holds/library", registrar, null,
                Map.of());
        call("DELETE /registrar/students/{studentId}/holds/{code}", person + "/holds/library", registrar, null,
                Map.of());
        String nobody = "/registrar/students/999999999";
        call("GET /registrar/students/{studentId}/registration", nobody + "/registration", registrar, null, Map.of());
        call("GET /registrar/students/{studentId}/holds", nobody + "/holds", registrar, null, Map.of());
        call("PUT /registrar/students/{studentId}/holds/{code}", nobody + "/holds/library", registrar,
                Map.of("reason", "Overdue books"), Map.of());
    }

    /** Completed courses, the credit maximum and permits, of a student who exists and of one who does not. */
    private void studentRecordFlows(Campus.Instructor owner) {
        String registrar = campus.registrar;
        Campus.Student student = campus.registeredStudent();
        long classId = campus.classOf(owner, 5).get("id").asLong();
        String person = "/registrar/students/" + student.id();
        String nobody = "/registrar/students/999999999";
        String completed = "/registrar/completed-courses";
        call("POST " + completed, completed, registrar, "studentId,courseCode\n" + student.id() + ",CPSC 131\n",
                Map.of("Content-Type", "text/csv"));
        call("POST " + completed, completed, registrar, "studentId,courseCode\n999999999,CPSC 131\n",
                Map.of("Content-Type", "text/csv"));
        call("POST " + completed, completed, registrar, "studentId,courseCode\n", Map.of("Content-Type", "text/plain"));
        call("POST " + completed, completed, registrar, "x".repeat(8 * 1024 * 1024 + 1),
                Map.of("Content-Type", "text/csv"));
        String courses = "GET /registrar/students/{studentId}/completed-courses";
        call(courses, person + "/completed-courses", registrar, null, Map.of());
        call(courses, nobody + "/completed-courses", registrar, null, Map.of());
        String course = "DELETE /registrar/students/{studentId}/completed-courses/{courseCode}";
        call(course, person + "/completed-courses/CPSC%20131", registrar, null, Map.of());
        call(course, person + "/completed-courses/CPSC%20131", registrar, null, Map.of());
        call(course, person + "/completed-courses/CPSC%07131", registrar, null, Map.of());

        String maximum = "/students/{studentId}/max-credits";
        call("PUT /registrar" + maximum, person + "/max-credits", registrar, Map.of("maxCredits", 12), Map.of());
        call("PUT /registrar" + maximum, person + "/max-credits", registrar, Map.of("maxCredits", 41), Map.of());
        call("PUT /registrar" + maximum, nobody + "/max-credits", registrar, Map.of("maxCredits", 12), Map.of());
        call("DELETE /registrar" + maximum, person + "/max-credits", registrar, null, Map.of());
        call("DELETE /registrar" + maximum, nobody + "/max-credits", registrar, null, Map.of());

        String grant = "PUT /registrar/students/{studentId}/permits/{classId}";
        String permit = person + "/permits/" + classId;
        Map<String, Object> prerequisite = Map.of("overrides", List.of("prerequisite"));
        call(grant, permit, registrar, Map.of("overrides", List.of("time-conflict")), Map.of());
        call(grant, permit, registrar, prerequisite, Map.of());
        call(grant, permit, registrar, Map.of("overrides", List.of()), Map.of());
        call(grant, person + "/permits/999999999", registrar, prerequisite, Map.of());
        call(grant, nobody + "/permits/" + classId, registrar, prerequisite, Map.of());
        call("GET /registrar/students/{studentId}/permits", person + "/permits", registrar, null, Map.of());
        call("GET /registrar/students/{studentId}/permits", nobody + "/permits", registrar, null, Map.of());
        String revoke = "DELETE /registrar/students/{studentId}/permits/{classId}";
        call(revoke, permit, registrar, null, Map.of());
        call(revoke, permit, registrar, null, Map.of());

        String instructors = "PUT /instructor/classes/{classId}/permits/{studentId}";
        String theirs = "/instructor/classes/" + classId + "/permits/" + student.id();
        call(instructors, theirs, owner.token(), prerequisite, Map.of());
        call(instructors, theirs, owner.token(), prerequisite, Map.of());
        call(instructors, theirs, owner.token(), Map.of("overrides", List.of("credit-limit")), Map.of());
        call(instructors, theirs, owner.token(), Map.of("overrides", List.of()), Map.of());
        call(instructors, "/instructor/classes/" + classId + "/permits/999999999", owner.token(), prerequisite,
                Map.of());
    }

    /** Seat offers: listed, refused to a held student, accepted, declined, and absent. */
    private void offerFlows(Campus.Instructor owner) throws Exception {
        long classId = campus.classOf(owner, 1).get("id").asLong();
        assertThat(api.send("PATCH", "/registrar/classes/" + classId, campus.registrar,
                Map.of("waitlistMode", "offer"), Map.of()).status()).isEqualTo(200);
        Campus.Student seated = campus.student();
        // the registrar places a hold on the first: a student with an account
        Campus.Student first = campus.registeredStudent();
        Campus.Student second = campus.student();
        campus.enroll(seated, classId);
        campus.enroll(first, classId);
        campus.enroll(second, classId);
        String offer = "/student/offers/" + classId;
        campus.drop(seated, classId);
        awaitOffer(first);
        call("GET /student/offers", "/student/offers", first.token(), null, Map.of());
        call("POST /student/offers/{classId}", offer, second.token(), null, Map.of());
        String hold = "/registrar/students/" + first.id() + "/holds/library";
        api.send("PUT", hold, campus.registrar, Map.of("reason", "Overdue books"), Map.of());
        call("POST /student/offers/{classId}", offer, first.token(), null, Map.of());
        api.delete(hold, campus.registrar);
        call("POST /student/offers/{classId}", offer, first.token(), null, Map.of());
        campus.drop(first, classId);
        awaitOffer(second);
        call("DELETE /student/offers/{classId}", offer, second.token(), null, Map.of());
        call("DELETE /student/offers/{classId}", offer, second.token(), null, Map.of());
    }

    /**
     * The registration rules refusing an enroll and a swap (a time conflict), and the swap's other answers: done at
     * once, waiting on a full class, and refused.
     */
    private void ruleFlows(Campus.Instructor owner) {
        Map<String, Object> nine = Map.of("meetings", List.of(Map.of("days", "MW", "start", "09:00", "end", "09:50")));
        long seated = campus.classOf(owner, 5, nine).get("id").asLong();
        long sameTime = campus.classOf(owner, 5, nine).get("id").asLong();
        long online = campus.classOf(owner, 5).get("id").asLong();
        long full = campus.classOf(owner, 1).get("id").asLong();
        campus.enrollNew(full, 1);
        Campus.Student student = campus.student();
        campus.enroll(student, seated);
        campus.enroll(student, online);
        call("POST /student/enrollments/{classId}", "/student/enrollments/" + sameTime, student.token(), null,
                Map.of());
        call("POST /student/swaps", "/student/swaps", student.token(), swap(online, sameTime), Map.of());
        call("POST /student/swaps", "/student/swaps", student.token(), swap(seated, sameTime), Map.of());
        call("POST /student/swaps", "/student/swaps", student.token(), swap(online, full), Map.of());
        call("POST /student/swaps", "/student/swaps", student.token(), swap(online, online), Map.of());
        call("POST /student/swaps", "/student/swaps", student.token(), swap(full, sameTime), Map.of());
    }

    private static Map<String, Object> swap(long dropClassId, long enrollClassId) {
        return Map.of("dropClassId", dropClassId, "enrollClassId", enrollClassId);
    }

    private void awaitOffer(Campus.Student student) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (api.get("/student/offers", student.token()).json().get("offers").isEmpty()) {
            assertThat(System.currentTimeMillis()).as("an offer arrives").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** A webhook that answers 400 fails for good at its first attempt, so its delivery is a dead letter at once. */
    private void deadLetters(Campus.Instructor owner) throws Exception {
        try (WebhookReceiver target = new WebhookReceiver()) {
            target.answer(400);
            long classId = campus.classOf(owner, 5).get("id").asLong();
            Campus.Student student = campus.enrollNew(classId, 1).get(0);
            assertThat(api.post("/student/subscribe/" + classId, student.token(),
                    Map.of("callbackUrl", target.url("/hook"))).status()).isEqualTo(201);
            assertThat(api.delete("/instructor/classes/" + classId + "/students/" + student.id(), owner.token())
                    .status()).isEqualTo(200);
            String deadLetter = null;
            for (long end = System.currentTimeMillis() + 30_000; deadLetter == null; Thread.sleep(200)) {
                assertThat(System.currentTimeMillis()).as("a dead letter within 30 s").isLessThan(end);
                for (JsonNode letter : call("GET /registrar/dead-letters", "/registrar/dead-letters", campus.registrar,
                        null, Map.of()).json().get("deadLetters")) {
                    if (letter.get("target").asText().startsWith(target.url(""))) {
                        deadLetter = letter.get("id").asText();
                    }
                }
            }
            call("POST /registrar/dead-letters/{id}/replay", "/registrar/dead-letters/" + deadLetter + "/replay",
                    campus.registrar, null, Map.of());
            call("POST /registrar/dead-letters/{id}/replay", "/registrar/dead-letters/no-such-letter/replay",
                    campus.registrar, null, Map.of());
            call("POST /registrar/dead-letters/replay", "/registrar/dead-letters/replay", campus.registrar,
                    Map.of("since", "2026-01-01T00:00:00Z", "target", target.url("/hook")), Map.of());
            call("POST /registrar/dead-letters/replay", "/registrar/dead-letters/replay", campus.registrar,
                    Map.of("until", "2026-01-01T00:00:00Z"), Map.of());
        }
    }

    /**
     * Every protected operation without a token (401) and with a token of another role (403); every operation with
     * an id in its path given one that is not digits (400), with a token of its role.
     */
    private void authenticationAndIds() {
        Map<String, String> tokens = Map.of("/student/", campus.student().token(),
                "/instructor/", campus.instructor().token(), "/registrar/", campus.registrar);
        operations().forEach((operation, described) -> {
            String template = operation.substring(operation.indexOf(' ') + 1);
            String prefix = tokens.keySet().stream().filter(template::startsWith).findFirst().orElse(null);
            if (prefix == null) {
                return;
            }
            String path = template.replace("{id}", "some-letter").replaceAll("\\{[^}]+}", "7");
            call(operation, path, null, null, Map.of());
            String otherRole = tokens.entrySet().stream().filter(other -> !other.getKey().equals(prefix))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            call(operation, path, otherRole, null, Map.of());
            if (template.matches(".*\\{(classId|studentId)}.*")) {
                call(operation, template.replaceAll("\\{[^}]+}", "x1"), tokens.get(prefix), null, Map.of());
            }
        });
    }

    /** Sends one request for {@code operation} and records its status and problem code. */
    private Api.Response call(String operation, String path, String token, Object body, Map<String, String> headers) {
        String method = operation.substring(0, operation.indexOf(' '));
        Api.Response answer = api.send(method, path, token, body, headers);
        Set<String> codes = observed.computeIfAbsent(operation, key -> new TreeMap<>())
                .computeIfAbsent(answer.status(), key -> new TreeSet<>());
        if (answer.status() >= 400) {
            assertThat(answer.header("Content-Type")).as(operation + " " + answer)
                    .startsWith("application/problem+json");
            codes.add(answer.json().get("code").asText());
        } else if (answer.status() < 300 && answer.body().startsWith("{")) {
            bodies.computeIfAbsent(operation, key -> new HashMap<>()).put(answer.status(), answer.json());
        }
        return answer;
    }
}
