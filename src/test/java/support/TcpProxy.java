package support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of a real server (the broker, the SMTP server). {@link #cut()} drops every
 * connection and refuses new ones, as a crashed server or a broken network would; {@link #restore()} serves
 * again on the same port. The server itself is shared by the suite (CI's RabbitMQ), so the outage is made here.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
    private volatile ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = TestService.freePort();
        restore();
    }

    public int port() {
        return port;
    }

    /** How many connections clients opened through this proxy so far. */
    public int connections() {
        return accepted.get();
    }

    public synchronized void restore() throws IOException {
        ServerSocket listening = new ServerSocket();
        listening.setReuseAddress(true);
        bindAgain(listening);
        server = listening;
        Thread accept = new Thread(() -> acceptLoop(listening), "proxy-accept-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Binds the proxy's port again. Right after {@link #cut()} a busy machine may still hold it for a moment (a
     * client connection's local port can be the same number), so a refusal is tried again for up to 5 s.
     */
    private void bindAgain(ServerSocket listening) throws IOException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (true) {
            try {
                listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return;
            } catch (java.net.BindException inUse) {
                if (System.currentTimeMillis() > deadline) {
                    throw inUse;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw inUse;
                }
            }
        }
    }

    public synchronized void cut() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private void acceptLoop(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // one side closed: close the other so the peer sees it
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
