package support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which process holds the client end of a TCP connection on this machine, read from Linux's {@code /proc} as
 * {@code ss -tnp} does ({@code /proc/net/tcp} and {@code tcp6} give the socket's inode, {@code /proc/PID/fd} the
 * process holding it): so a test server can tell which of several local processes sent it a request.
 */
public final class LoopbackSockets {

    private LoopbackSockets() {
    }

    /**
     * The process among {@code candidates} holding the connection from local port {@code clientPort} to local port
     * {@code serverPort}.
     *
     * @return its PID, or {@code -1} when none of them holds it (or {@code /proc} cannot be read)
     */
    public static long ownerOf(int clientPort, int serverPort, Collection<Long> candidates) {
        String inode = inodeOf(clientPort, serverPort);
        if (inode == null) {
            return -1;
        }
        String link = "socket:[" + inode + "]";
        for (long pid : candidates) {
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(link)) {
                            return pid;
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor went away while we listed them
                    }
                }
            } catch (IOException gone) {
                // the process exited
            }
        }
        return -1;
    }

    /** The inode of the socket whose local port is {@code clientPort} and remote port {@code serverPort}. */
    private static String inodeOf(int clientPort, int serverPort) {
        // Columns: sl local_address rem_address st ... inode (10th); addresses are HEX_IP:HEX_PORT.
        String local = String.format(Locale.ROOT, ":%04X", clientPort);
        String remote = String.format(Locale.ROOT, ":%04X", serverPort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] columns = line.trim().split("\\s+");
                    if (columns.length > 9 && columns[1].endsWith(local) && columns[2].endsWith(remote)) {
                        return columns[9];
                    }
                }
            } catch (IOException unreadable) {
                // not Linux, or no IPv6
            }
        }
        return null;
    }
}
