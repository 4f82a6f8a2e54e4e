package app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The jar loads its YAML routes by name; a route file added to the source tree must be named there too. */
class PackagedRoutesTest {

    @Test
    void everyYamlRouteOfTheSourceTreeIsLoadedFromTheJar() throws Exception {
        try (Stream<Path> files = Files.list(EnrollmentService.SOURCE_ROUTES)) {
            assertThat(files.map(f -> f.getFileName().toString().replace(".yaml", "")))
                    .containsExactlyInAnyOrderElementsOf(EnrollmentService.PACKAGED_ROUTES);
        }
    }
}
