package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code redis-server} (7.0, built with TLS) serving TLS only on a free port of 127.0.0.1, with an ACL
 * user {@value #USERNAME} and a random password; the {@code default} user is disabled, so nothing works before
 * AUTH. Clients are not asked for certificates ({@code tls-auth-clients no}). Nothing is persisted.
 *
 * <p>Follows the Redis TLS and ACL documentation (redis.io/docs/management/security/encryption/ and
 * .../security/acl/). Skips the calling test (JUnit assumption) when {@code redis-server} or {@code redis-cli}
 * is not on PATH.
 */
public final class TlsRedisServer implements AutoCloseable {

    /** The ACL user the server accepts. */
    public static final String USERNAME = "enrollment";

    private final ServerProcess process;
    private final int port;
    private final String password;

    private TlsRedisServer(ServerProcess process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    /** Starts one with {@link TestCertificates#server()}, the certificate clients trusting the test CA accept. */
    public static TlsRedisServer start() throws IOException, InterruptedException {
        return start(TestCertificates.server());
    }

    /**
     * Starts one presenting {@code identity} (e.g. {@link TestCertificates#untrusted()} for a certificate clients
     * must refuse) and waits until it answers PING over TLS.
     *
     * @return the running server; close it to stop it
     * @throws IllegalStateException when it exits or does not answer within 20 s (with the end of its log)
     */
    public static TlsRedisServer start(TestCertificates.ServerIdentity identity)
            throws IOException, InterruptedException {
        Path server = ServerProcess.requireOnPath("redis-server", "the TLS Redis tests");
        Path cli = ServerProcess.requireOnPath("redis-cli", "the TLS Redis tests");
        int port = TestService.freePort();
        String password = randomPassword();
        Path dir = Files.createTempDirectory("tls-redis");
        // A config file rather than arguments, so the password does not show in ps.
        Path config = dir.resolve("redis.conf");
        Files.writeString(config, String.join("\n",
                "bind 127.0.0.1",
                "port 0",
                "tls-port " + port,
                "tls-cert-file " + quoted(identity.certificate()),
                "tls-key-file " + quoted(identity.privateKey()),
                "tls-ca-cert-file " + quoted(identity.issuer()),
                "tls-auth-clients no",
                "save \"\"",
                "appendonly no",
                "dir " + quoted(dir),
                "daemonize no",
                "logfile \"\"",
                "user default off resetpass nocommands",
                "user " + USERNAME + " on >" + password + " ~* &* +@all",
                ""));
        // redis-cli reads the password from REDISCLI_AUTH, again to keep it out of ps.
        List<String> ping = List.of(cli.toString(), "--tls", "--cacert", identity.issuer().toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(port), "--user", USERNAME, "ping");
        Map<String, String> auth = Map.of("REDISCLI_AUTH", password);
        ServerProcess process = ServerProcess.start("redis-server", List.of(server.toString(), config.toString()),
                Map.of(), dir, log -> answersPing(ping, auth), Duration.ofSeconds(20));
        return new TlsRedisServer(process, port, password);
    }

    public int port() {
        return port;
    }

    /** The password of {@value #USERNAME} (hex, so it needs no escaping in a URL). */
    public String password() {
        return password;
    }

    /** {@code rediss://enrollment:PASSWORD@localhost:PORT/0}: the form REDIS_URL takes for this server. */
    public String url() {
        return "rediss://" + USERNAME + ":" + password + "@localhost:" + port + "/0";
    }

    /** Stops the server by its PID and deletes its files. */
    @Override
    public void close() {
        process.close();
    }

    private static boolean answersPing(List<String> ping, Map<String, String> auth) {
        StringBuilder out = new StringBuilder();
        try {
            return ServerProcess.run(ping, auth, Duration.ofSeconds(5), out) == 0 && out.toString().contains("PONG");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A path as redis.conf takes it, in double quotes. */
    static String quoted(Path path) {
        return "\"" + path.toAbsolutePath() + "\"";
    }

    static String randomPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
