package notify;

import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;

/**
 * The connection pool of webhook deliveries: every connection's address is checked again when it is made (so a
 * name that turned private since the subscription is refused), and no attempt waits more than a few seconds.
 */
public final class WebhookConnections {

    /** How long an attempt waits for the connection, and then for each read of the answer (seconds). */
    static final int CONNECT_TIMEOUT_SECONDS = 5;
    static final int READ_TIMEOUT_SECONDS = 10;
    /** Connections in the pool at most: well above the attempt pool's 256 threads ({@code notify.attempt-threads}). */
    static final int MAX_CONNECTIONS = 1024;

    private WebhookConnections() {
    }

    public static PoolingHttpClientConnectionManager create(WebhookTargets targets) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(targets.dnsResolver())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .setSocketTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS).build())
                // every attempt thread may hold a connection (one to a hanging target included) and still leave room:
                // a full pool would make a healthy target's attempt wait for a hanging one's time-out. Idle
                // connections do not count against it; the pool closes the least recently used one to make room.
                .setMaxConnTotal(MAX_CONNECTIONS)
                // HttpClient's route is the host: with its default (5) or any bound below the attempts one host may
                // have in flight (WEBHOOK_MAX_PER_HOST, plus one per hanging target), a host's hanging targets would
                // hold its connections and its healthy targets would wait for them. notify/Destinations bounds the
                // attempts per host; the pool must never be the tighter bound.
                .setMaxConnPerRoute(MAX_CONNECTIONS)
                .build();
    }
}
