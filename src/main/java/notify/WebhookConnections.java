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

    private WebhookConnections() {
    }

    public static PoolingHttpClientConnectionManager create(WebhookTargets targets) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(targets.dnsResolver())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(5, TimeUnit.SECONDS).setSocketTimeout(10, TimeUnit.SECONDS).build())
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(10, TimeUnit.SECONDS).build())
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(50)
                .build();
    }
}
