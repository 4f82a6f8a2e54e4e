package api;

import auth.AccessRules;
import auth.Role;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.OpenApiHelper;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;
import problem.Problem;

/**
 * The OpenAPI 3.1 document of the API ({@code GET /openapi.json}). camel-openapi-java's {@link RestOpenApiReader}
 * reads it from the REST DSL (the YAML under {@code camel/}: summaries, parameters, bodies and answers, with the
 * Java records as schemas) and the {@code camel.rest.api-properties} options (version, title, description); this
 * class then adds what is the same for every operation and that the REST DSL cannot say:
 * <ul>
 *   <li>4xx and 5xx answers are RFC 9457 problems, {@code application/problem+json} with the {@link Problem} schema
 *       (Camel files every answer under the operation's one media type);</li>
 *   <li>the bearer-JWT scheme, and per operation the role its path needs ({@link AccessRules}, the rule the service
 *       enforces) as the security requirement (OpenAPI 3.1, section 4.8.30) and in the description, with the
 *       {@code 401 unauthorized} and {@code 403 forbidden} answers; with a campus identity provider (OIDC_ISSUER), its
 *       {@code openIdConnect} scheme too, as the alternative requirement (either token will do);</li>
 *   <li>the answers of the HTTP layer (API.md "Errors"): {@code 400 invalid-request} for an id or body that does not
 *       read, {@code 413} and {@code 415} for a body, {@code 500} and {@code 503} for every operation.</li>
 * </ul>
 * The document is built at the first request and kept: a YAML reload of the REST DSL shows in it after a restart.
 */
public final class OpenApiDocument {

    /** The names of the security schemes in {@code components.securitySchemes}. */
    private static final String BEARER = "bearer";
    private static final String CAMPUS = "campus";

    private static final String PROBLEM = "Problem";
    private static final String PROBLEM_REF = RestOpenApiReader.OAS30_SCHEMA_DEFINITION_PREFIX + PROBLEM;

    private volatile String json;
    /** The identity provider's discovery document, or null when only the service's own tokens are accepted. */
    private final String discoveryUrl;

    /**
     * @param discoveryUrl {@code {OIDC_ISSUER}/.well-known/openid-configuration}, or null without an identity
     *        provider
     */
    public OpenApiDocument(String discoveryUrl) {
        this.discoveryUrl = discoveryUrl;
    }

    /**
     * The document as JSON, built once from the REST DSL and the REST configuration of {@code camel}.
     *
     * @throws Exception when camel-openapi-java cannot read the REST DSL (a type that is not on the classpath)
     */
    public String json(CamelContext camel) throws Exception {
        String built = json;
        if (built == null) {
            synchronized (this) {
                if (json == null) {
                    json = build(camel);
                }
                built = json;
            }
        }
        return built;
    }

    private String build(CamelContext camel) throws Exception {
        RestOpenApiSupport support = new RestOpenApiSupport();
        BeanConfig config = new BeanConfig();
        support.initOpenApi(config, camel.getRestConfiguration().getApiProperties());
        OpenAPI openApi = new RestOpenApiReader().read(camel, support.getRestDefinitions(camel), config,
                camel.getName(), camel.getClassResolver());
        // the API is where the document is: no absolute URL naming a host (Camel would write http://null)
        openApi.setServers(null);
        openApi.getComponents().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT")
                .description("An RS256 JWT from POST /auth/login; the path prefix names the role it must carry"));
        if (discoveryUrl != null) {
            openApi.getComponents().addSecuritySchemes(CAMPUS, new SecurityScheme()
                    .type(SecurityScheme.Type.OPENIDCONNECT).openIdConnectUrl(discoveryUrl)
                    .description("An access token of the campus identity provider (a JWT for this API's audience); "
                            + "its roles claim must give the role the path prefix names"));
        }
        openApi.getComponents().addSchemas(PROBLEM,
                ModelConverters.getInstance(true).read(Problem.class).values().iterator().next());
        OpenApiHelper.clearVendorExtensions(openApi);
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().values()
                .forEach(operation -> complete(path, operation)));
        // a REST definition left out of the document (apiDocs: false) still leaves its tag
        Set<String> used = openApi.getPaths().values().stream()
                .flatMap(item -> item.readOperations().stream()).flatMap(operation -> operation.getTags().stream())
                .collect(Collectors.toSet());
        openApi.getTags().removeIf(tag -> !used.contains(tag.getName()));
        return RestOpenApiSupport.getJsonFromOpenAPIAsString(openApi, config);
    }

    private void complete(String path, Operation operation) {
        ApiResponses responses = operation.getResponses();
        Optional<Role> role = AccessRules.requiredRole(path);
        if (role.isPresent()) {
            operation.addSecurityItem(new SecurityRequirement().addList(BEARER, role.get().name()));
            if (discoveryUrl != null) {
                operation.addSecurityItem(new SecurityRequirement().addList(CAMPUS, role.get().name()));
            }
            operation.setDescription("Needs a bearer token with the " + role.get() + " role.");
            answer(responses, 401, "`unauthorized`: no bearer token, or one that is expired, wrongly signed or not "
                    + "RS256").addHeaderObject("WWW-Authenticate", header("Bearer"));
            answer(responses, 403, "`forbidden`: the token lacks the " + role.get() + " role");
        } else {
            operation.setDescription("Public: no token needed.");
        }
        boolean idInPath = operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(parameter -> "path".equals(parameter.getIn()) && isInteger(parameter));
        boolean body = operation.getRequestBody() != null;
        if (idInPath || body) {
            String id = "an id that is not plain ASCII digits";
            String json = "a body that is not the JSON object described";
            answer(responses, 400, "`invalid-request`: "
                    + (idInPath && body ? id + ", or " + json : idInPath ? id : json));
        }
        if (body) {
            answer(responses, 413, "`payload-too-large`: a body over 64 KiB");
            answer(responses, 415, "`unsupported-media-type`: a body in a charset other than UTF-8");
        }
        answer(responses, 500, "`internal-error`");
        answer(responses, 503, "`busy`: the stores stayed contended past the request's time budget, nothing was "
                + "changed; `unavailable`: a store cannot be reached or is not ready (e.g. Redis still loading "
                + "after a restart)")
                .addHeaderObject("Retry-After", header("seconds to wait before trying again"));
        // a problem answer of RFC 9457 whatever media type the operation's other answers have
        responses.forEach((status, response) -> {
            if (status.compareTo("400") >= 0) {
                response.setContent(new Content().addMediaType(Problem.MEDIA_TYPE,
                        new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
            }
        });
        // keep the answers in status order, as a reader looks for them
        Map<String, ApiResponse> sorted = new TreeMap<>(responses);
        responses.clear();
        responses.putAll(sorted);
    }

    /** The operation's answer for {@code status}; one with {@code description} when the REST DSL has none. */
    private static ApiResponse answer(ApiResponses responses, int status, String description) {
        return responses.computeIfAbsent(Integer.toString(status), code -> new ApiResponse().description(description));
    }

    private static Header header(String description) {
        return new Header().description(description).schema(new StringSchema());
    }

    private static boolean isInteger(Parameter parameter) {
        Schema<?> schema = parameter.getSchema();
        return schema != null && ("integer".equals(schema.getType())
                || schema.getTypes() != null && schema.getTypes().contains("integer"));
    }
}
