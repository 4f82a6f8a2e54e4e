package support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * An external server a test started (redis-server, the aiosmtpd script): its own scratch directory, output in
 * a log file, stopped by its PID in {@link #close()} and, should a test forget, when the JVM exits. Also the
 * PATH look-ups and short commands the TLS test servers share.
 */
final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path directory;
    private final Path log;
    private final Thread shutdownHook;

    private ServerProcess(String name, Process process, Path directory, Path log) {
        this.name = name;
        this.process = process;
        this.directory = directory;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code command} with its output in {@code directory/name.log} and waits until {@code ready} holds.
     *
     * @param directory scratch directory the process owns; deleted by {@link #close()}
     * @param ready tells, given the log file, whether the server serves yet
     * @return the running server
     * @throws IllegalStateException when the process exits or is not ready within {@code timeout} (it is stopped
     *         first; the message carries the end of its log)
     */
    static ServerProcess start(String name, List<String> command, Map<String, String> environment,
            Path directory, Predicate<Path> ready, Duration timeout) throws IOException, InterruptedException {
        Path log = directory.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process started;
        try {
            started = builder.start();
        } catch (IOException e) {
            deleteTree(directory);
            throw e;
        }
        ServerProcess server = new ServerProcess(name, started, directory, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.test(log)) {
            if (!server.process.isAlive() || System.nanoTime() > deadline) {
                String why = server.process.isAlive() ? "was not ready within " + timeout
                        : "exited with status " + server.process.exitValue();
                String tail = server.logTail();
                server.close();
                throw new IllegalStateException(name + " " + why + "; its log ends:\n" + tail);
            }
            Thread.sleep(100);
        }
        return server;
    }

    /** Stops the process by its PID (TERM, then KILL after 10 s) and deletes its directory. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // close() called from another hook: the JVM is exiting anyway
        }
        deleteTree(directory);
    }

    /**
     * Kills the process at once (SIGKILL, as {@code kill -9} or a crash would) and waits for it to end, keeping its
     * directory so that a server started again there finds its data; {@link #close()} still deletes it.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " did not end within 10 s of SIGKILL");
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        // Closing stdin first lets a server that watches it (the SMTP script) leave on its own.
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // stdin already gone
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The last 4000 characters the process wrote (stdout and stderr together). */
    private String logTail() {
        try {
            String all = Files.readString(log, StandardCharsets.UTF_8);
            return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The executable {@code name} on PATH, if any. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
    }

    /** The executable {@code name} on PATH; skips the calling test (JUnit assumption) when there is none. */
    static Path requireOnPath(String name, String needed) {
        Optional<Path> found = onPath(name);
        Assumptions.assumeTrue(found.isPresent(), name + " is not on PATH: skipping (needed for " + needed
                + "; .ci/run installs it)");
        return found.get();
    }

    /**
     * Runs a short command to its end.
     *
     * @param output receives the command's output (stdout and stderr), or {@code null} to discard it
     * @return its exit status
     * @throws IllegalStateException when it does not finish within {@code timeout} (it is killed)
     */
    static int run(List<String> command, Map<String, String> environment, Duration timeout, StringBuilder output)
            throws IOException, InterruptedException {
        Path captured = Files.createTempFile("command", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(captured.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
            }
            if (output != null) {
                output.append(Files.readString(captured, StandardCharsets.UTF_8));
            }
            return process.exitValue();
        } finally {
            Files.deleteIfExists(captured);
        }
    }

    /** Deletes a directory and everything under it, leaving nothing when it is already gone. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
