package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code redis-server} on a free port of 127.0.0.1 with the persistence an operator runs it with
 * ({@code appendonly yes}, {@code appendfsync always}: every write is on disk before Redis answers it), which a
 * test can kill ({@code kill -9}) and start again on the same port and the same append-only file, as after a
 * crash. Follows redis.io/docs/management/persistence/.
 *
 * <p>Skips the calling test (JUnit assumption) when {@code redis-server} or {@code redis-cli} is not on PATH.
 */
public final class AofRedisServer implements AutoCloseable {

    private final Path server;
    private final Path cli;
    private final Path directory;
    private final int port;
    private ServerProcess process;

    private AofRedisServer(Path server, Path cli, Path directory, int port) {
        this.server = server;
        this.cli = cli;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts one on a free port and waits until it answers PING.
     *
     * @throws IllegalStateException when it exits or does not answer within 20 s (with the end of its log)
     */
    public static AofRedisServer start() throws IOException, InterruptedException {
        AofRedisServer redis = new AofRedisServer(
                ServerProcess.requireOnPath("redis-server", "the fault-injection suite"),
                ServerProcess.requireOnPath("redis-cli", "the fault-injection suite"),
                Files.createTempDirectory("aof-redis"), TestService.freePort());
        redis.launch();
        return redis;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = List.of(server.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--protected-mode", "yes", "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--dir", directory.toString(), "--daemonize", "no");
        process = ServerProcess.start("redis-server", command, Map.of(), directory, log -> answersPing(),
                Duration.ofSeconds(20));
    }

    /** {@code redis://127.0.0.1:PORT}, the value for REDIS_URL. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Kills it with SIGKILL, as a crash would; its append-only file stays for {@link #restart()}. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Starts it again on the same port, loading its append-only file, and waits until it answers PING. */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    private boolean answersPing() {
        StringBuilder out = new StringBuilder();
        try {
            return ServerProcess.run(List.of(cli.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "ping"),
                    Map.of(), Duration.ofSeconds(5), out) == 0 && out.toString().trim().equals("PONG");
        } catch (IOException | IllegalStateException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops it by its PID and deletes its directory, append-only file included. */
    @Override
    public void close() {
        process.close();
    }
}
