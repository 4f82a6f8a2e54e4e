package support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code redis-server} on a free port of 127.0.0.1, persisted as an operator runs it (AOF with
 * {@code appendfsync always}), that a test kills ({@code kill -9}) and starts again on the same port and data, as a
 * Redis restart looks to the service. {@link #startAgainLoadingSlowly} makes the restart load its data for seconds,
 * with the server's own {@code key-load-delay} setting (the one Redis's test suite uses), so that it answers
 * {@code LOADING} meanwhile, as a large data set does after a restart. Skips the calling test (JUnit assumption)
 * when {@code redis-server} or {@code redis-cli} is not on PATH.
 */
public final class RedisServer implements AutoCloseable {

    private final Path server;
    private final Path cli;
    private final Path directory;
    private final int port;
    private ServerProcess process;

    private RedisServer(Path server, Path cli, Path directory, int port) {
        this.server = server;
        this.cli = cli;
        this.directory = directory;
        this.port = port;
    }

    /**
     * Starts one with an empty data set and waits until it answers PING.
     *
     * @return the running server; close it to stop it and delete its data
     * @throws IllegalStateException when it exits or does not answer within 20 s (with the end of its log)
     */
    public static RedisServer start() throws IOException, InterruptedException {
        Path server = ServerProcess.requireOnPath("redis-server", "the Redis outage tests");
        Path cli = ServerProcess.requireOnPath("redis-cli", "the Redis outage tests");
        RedisServer redis = new RedisServer(server, cli, Files.createTempDirectory("redis"), TestService.freePort());
        redis.run(List.of(), false);
        return redis;
    }

    /** {@code redis://127.0.0.1:PORT/0}: the form REDIS_URL takes for this server. */
    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    /** Kills the server with SIGKILL; what it acknowledged stays on disk (every write is fsynced). */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** Starts the server again on the same port and data, and waits until it answers PING (its data loaded). */
    public void startAgain() throws IOException, InterruptedException {
        run(List.of(), false);
    }

    /**
     * Starts the server again on the same port and data, loading each key {@code microsPerKey} µs, and returns as
     * soon as it answers anything: while it loads, every command but a few is answered {@code -LOADING}.
     */
    public void startAgainLoadingSlowly(int microsPerKey) throws IOException, InterruptedException {
        // by default the server serves clients only every 2 MB of data loaded: every 1 KiB here, so it answers
        run(List.of("key-load-delay " + microsPerKey, "loading-process-events-interval-bytes 1024"), true);
    }

    /**
     * Adds {@code count} small keys and rewrites the AOF, so that a restart loads them from its RDB base file (where
     * {@code key-load-delay} applies).
     */
    public void fill(int count) throws IOException, InterruptedException {
        cli("EVAL", "for i = 1, ARGV[1] do redis.call('SET', 'filler:' .. i, 'x') end", "0",
                Integer.toString(count));
        cli("BGREWRITEAOF");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!cli("INFO", "persistence").contains("aof_rewrite_in_progress:0")
                || !cli("INFO", "persistence").contains("aof_rewrite_scheduled:0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the AOF rewrite did not end within 20 s");
            }
            Thread.sleep(100);
        }
    }

    /** Whether it answers PING with PONG now (not LOADING, not refused). */
    public boolean answersPing() {
        return ping().contains("PONG");
    }

    /** Stops the server by its PID and deletes its data. */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    /** Runs {@code redis-cli} against the server and returns what it printed (errors included). */
    public String cli(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(cli.toString(), "-h", "127.0.0.1", "-p",
                Integer.toString(port)));
        command.addAll(List.of(arguments));
        StringBuilder out = new StringBuilder();
        ServerProcess.run(command, Map.of(), Duration.ofSeconds(10), out);
        return out.toString();
    }

    /** Starts the server in its directory and waits until it answers PONG (or LOADING, when {@code loading}). */
    private void run(List<String> extraConfig, boolean loading) throws IOException, InterruptedException {
        Path config = directory.resolve("redis.conf");
        List<String> lines = new ArrayList<>(List.of(
                "bind 127.0.0.1",
                "port " + port,
                "dir " + TlsRedisServer.quoted(directory),
                "save \"\"",
                "appendonly yes",
                "appendfsync always",
                "daemonize no",
                "logfile \"\""));
        lines.addAll(extraConfig);
        Files.writeString(config, String.join("\n", lines) + "\n");
        process = ServerProcess.start("redis-server", List.of(server.toString(), config.toString()), Map.of(),
                directory, log -> {
                    String answer = ping();
                    return answer.contains("PONG") || loading && answer.contains("LOADING");
                }, Duration.ofSeconds(20));
    }

    /** What the server answers to PING, or "" when nothing answers. */
    private String ping() {
        try {
            return cli("PING");
        } catch (IOException | IllegalStateException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
