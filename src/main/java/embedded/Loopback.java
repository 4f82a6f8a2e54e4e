package embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The one address every stand-in listens on: a stand-in is for this machine only. */
final class Loopback {

    static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /**
     * A port that was free a moment ago, for servers that cannot be told to pick one themselves (port 0). Another
     * process may take it before the server binds, so callers retry on a bind failure.
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
