package observe;

import static org.assertj.core.api.Assertions.assertThat;

import app.EnrollmentService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import support.Api;
import support.TestService;

/** A saved change to a YAML route takes effect without a restart, and the Java DSL routes stay. */
class YamlReloadTest {

    static Path routes;
    static EnrollmentService service;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        routes = Files.createTempDirectory("camel-routes");
        try (Stream<Path> sources = Files.list(Path.of("src/main/resources/camel"))) {
            for (Path yaml : sources.toList()) {
                Files.copy(yaml, routes.resolve(yaml.getFileName()));
            }
        }
        service = TestService.start(Map.of("ROUTES_RELOAD_DIRECTORY", routes.toString()));
        api = new Api(service);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void movingTheKeySetToANewPathTakesEffectOnSave() throws Exception {
        assertThat(api.get("/auth/keys.json", null).status()).isEqualTo(404);
        Path accounts = routes.resolve("accounts.yaml");
        Files.writeString(accounts, Files.readString(accounts).replace("/jwks.json", "/keys.json"));

        long deadline = System.currentTimeMillis() + 20_000;
        while (api.get("/auth/keys.json", null).status() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(api.get("/auth/keys.json", null).status()).isEqualTo(200);
        assertThat(api.get("/auth/keys.json", null).json().get("keys").size()).isEqualTo(1);
        // the Java DSL flows behind the reloaded REST routes are still there
        assertThat(api.registrarToken()).isNotBlank();
        assertThat(service.camelContext().getRoute("log-in")).isNotNull();
    }
}
