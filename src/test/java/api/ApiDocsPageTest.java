package api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import support.Api;
import support.RunningService;

/**
 * {@code GET /docs} (docs/api.md "Operations"): Swagger UI served by the service from the swagger-ui webjar, on this
 * service's {@code /openapi.json}; opened in headless Chromium when one is installed (CI installs Debian's).
 */
class ApiDocsPageTest {

    @RegisterExtension
    static final RunningService running = new RunningService();

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/5.34.1/";

    @Test
    void docsLeadsToThePage() {
        Api.Response answer = running.api.get("/docs", null);
        assertThat(answer.status()).isEqualTo(301);
        assertThat(answer.header("Location")).isEqualTo("/docs/");
        Api.Response page = running.api.get("/docs/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<div id=\"swagger-ui\"></div>", "./swagger-initializer.js");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "index.html,                  text/html",
            "swagger-ui.css,              text/css",
            "swagger-ui-bundle.js,        javascript",
            "swagger-ui-standalone-preset.js, javascript",
            "index.css,                   text/css",
            "favicon-32x32.png,           image/png"})
    void theFilesAreTheWebjarsWithTheirTypes(String file, String type) throws Exception {
        HttpResponse<byte[]> answer = CLIENT.send(HttpRequest.newBuilder(URI.create(base() + "/docs/" + file)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(value -> assertThat(value)
                .contains(type));
        assertThat(answer.body()).isEqualTo(webjar(file));
    }

    @Test
    void theInitializerOpensThisServicesDocumentAndNothingComesFromElsewhere() throws Exception {
        Api.Response initializer = running.api.get("/docs/swagger-initializer.js", null);
        assertThat(initializer.status()).isEqualTo(200);
        assertThat(initializer.header("Content-Type")).startsWith("text/javascript");
        assertThat(initializer.body()).contains("url: \"/openapi.json\"").doesNotContain("petstore");
        // the page names its files relative to itself: no CDN, no other host
        assertThat(new String(webjar("index.html"), StandardCharsets.UTF_8)).doesNotContain("http:", "https:", "//");
        assertThat(running.api.get("/docs/no-such-file.js", null).status()).isEqualTo(404);
    }

    @Test
    void chromiumShowsTheOperations(@TempDir Path dir) throws Exception {
        Optional<Path> chromium = chromium();
        assumeTrue(chromium.isPresent(), "no chromium on the PATH (Debian: apt-get install chromium; .ci/run "
                + "installs it): the page is not opened in a browser");
        Path dom = dir.resolve("dom.html");
        run(List.of(chromium.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=20000", "--dump-dom",
                base() + "/docs"), dom);
        assertThat(Files.readString(dom)).contains("Course enrollment and notification service")
                .contains(System.getProperty("project.version"))
                .contains("data-path=\"/student/enrollments/{classId}\"", "Enroll in a class")
                .contains("data-path=\"/registrar/classes/{classId}\"", "Add a section")
                .contains("data-path=\"/auth/login\"", "Log in for a bearer token")
                .contains("Authorize");
    }

    /**
     * Runs a command to its end (at most 90 s), its output into {@code out}; it and its children are stopped by their
     * PIDs if it hangs.
     */
    private static void run(List<String> command, Path out) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium ends").isTrue();
            assertThat(process.exitValue()).as("chromium's exit code").isZero();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static Optional<Path> chromium() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }

    private static byte[] webjar(String file) throws IOException {
        try (InputStream in = ApiDocsPageTest.class.getClassLoader().getResourceAsStream(WEBJAR + file)) {
            assertThat(in).as(file + " in the webjar").isNotNull();
            return in.readAllBytes();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + running.service.settings().httpPort();
    }
}
