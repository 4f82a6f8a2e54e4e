package observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import support.RunningService;

/** A saved change to a YAML route takes effect without a restart, and the Java DSL routes stay. */
class YamlReloadTest {

    static final Path routes = copyOfTheYamlRoutes();
    @RegisterExtension
    static final RunningService running = new RunningService(Map.of("ROUTES_RELOAD_DIRECTORY", routes.toString()));

    private static Path copyOfTheYamlRoutes() {
        try {
            Path copy = Files.createTempDirectory("camel-routes");
            try (Stream<Path> sources = Files.list(Path.of("src/main/resources/camel"))) {
                for (Path yaml : sources.toList()) {
                    Files.copy(yaml, copy.resolve(yaml.getFileName()));
                }
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void movingTheKeySetToANewPathTakesEffectOnSave() throws Exception {
        assertThat(running.api.get("/auth/keys.json", null).status()).isEqualTo(404);
        Path accounts = routes.resolve("accounts.yaml");
        Files.writeString(accounts, Files.readString(accounts).replace("/jwks.json", "/keys.json"));

        long deadline = System.currentTimeMillis() + 20_000;
        while (running.api.get("/auth/keys.json", null).status() != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(running.api.get("/auth/keys.json", null).status()).isEqualTo(200);
        assertThat(running.api.get("/auth/keys.json", null).json().get("keys").size()).isEqualTo(1);
        // the Java DSL flows behind the reloaded REST routes are still there
        assertThat(running.api.registrarToken()).isNotBlank();
        assertThat(running.service.camelContext().getRoute("log-in")).isNotNull();
    }
}
