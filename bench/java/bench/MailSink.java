package bench;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.Socket;
import java.net.SocketException;

/**
 * NotifyBench's stand-in SMTP server: GreenMail's SMTP server and store on 127.0.0.1, counting the emails accepted.
 * GreenMail writes each line of its multi-line EHLO answer with a flush of its own; without TCP_NODELAY, Nagle holds
 * the second line until the client's delayed ACK (40 ms on Linux), so every new SMTP connection costs ~45 ms more
 * than against a relay that answers EHLO in one write. TCP_NODELAY on the accepted sockets (the default,
 * --smtp-nodelay) takes that artifact of the sink out of the figures; --smtp-nodelay false measures against stock
 * GreenMail.
 */
final class MailSink {

    private final Managers managers = new Managers();
    private final SmtpServer server;
    private final int port;

    /** A sink on 127.0.0.1:{@code port}, not started; {@code noDelay} sets TCP_NODELAY on its accepted sockets. */
    MailSink(int port, boolean noDelay) {
        this.port = port;
        server = new SmtpServer(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP), managers) {
            @Override
            protected void handleClientSocket(Socket socket) throws SocketException {
                if (noDelay) {
                    socket.setTcpNoDelay(true);
                }
                super.handleClientSocket(socket);
            }
        };
    }

    /**
     * Starts it and waits until it accepts connections.
     *
     * @throws IllegalStateException when it is not running within 10 s
     */
    void start() throws InterruptedException {
        server.startService();
        if (!server.waitTillRunning(10_000)) {
            throw new IllegalStateException("GreenMail SMTP did not start on 127.0.0.1:" + port);
        }
    }

    /** The emails accepted so far (it walks GreenMail's store: not for a tight loop). */
    int count() {
        return managers.getImapHostManager().getAllMessages().size();
    }

    void stop() {
        server.stopService();
    }
}
