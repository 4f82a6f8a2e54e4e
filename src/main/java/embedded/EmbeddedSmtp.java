package embedded;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An SMTP server (GreenMail) inside this JVM on 127.0.0.1 that accepts every message and keeps it in memory. */
public final class EmbeddedSmtp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSmtp.class);

    private final GreenMail greenMail;

    private EmbeddedSmtp(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    public static EmbeddedSmtp start() {
        ServerSetup setup = new ServerSetup(0, Loopback.HOST, ServerSetup.PROTOCOL_SMTP).dynamicPort();
        // GreenMail gives up after 2 s by default: tight while the other stand-ins load their classes beside it.
        setup.setServerStartupTimeout(10_000);
        GreenMail greenMail = new GreenMail(setup);
        greenMail.start();
        EmbeddedSmtp smtp = new EmbeddedSmtp(greenMail);
        LOG.info("Embedded SMTP server (GreenMail, in memory) listening on {}:{}", smtp.host(), smtp.port());
        return smtp;
    }

    public String host() {
        return Loopback.HOST;
    }

    public int port() {
        return greenMail.getSmtp().getPort();
    }

    /** The server itself, so a test can read what it received. */
    public GreenMail greenMail() {
        return greenMail;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
