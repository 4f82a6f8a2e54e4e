package notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Turns a webhook delivery into its HTTP request: the event JSON, signed per attempt with the Standard Webhooks
 * scheme ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC-SHA256>}).
 */
public final class WebhookRequest {

    private final Subscriptions subscriptions;

    public WebhookRequest(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Replaces the message with the signed POST of the delivery in the body. */
    public void prepare(Exchange exchange) {
        Delivery delivery = exchange.getMessage().getBody(Delivery.class);
        Subscription subscription = subscriptions.find(delivery.event().studentId(), delivery.event().classId());
        String body = Json.write(delivery.event());
        long now = System.currentTimeMillis();
        long timestamp = now / 1000;
        Message out = exchange.getMessage();
        // only our headers go out: anything else (CamelHttp* above all) could rewrite the request
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_URI, delivery.target());
        out.setHeader(Exchange.HTTP_METHOD, "POST");
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader("webhook-id", delivery.event().id());
        out.setHeader("webhook-timestamp", Long.toString(timestamp));
        out.setHeader("webhook-signature", signatures(subscription == null ? List.of() : subscription.signingSecrets(now),
                delivery.event().id(), timestamp, body));
        out.setBody(body);
    }

    /**
     * The {@code webhook-signature} value: one {@code v1,<base64 HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")>}
     * per secret, in the order given, separated by spaces (Standard Webhooks, "Signature scheme").
     *
     * @param secrets {@code whsec_…} secrets, newest first; none gives an empty value
     */
    static String signatures(List<String> secrets, String id, long timestamp, String body) {
        return secrets.stream().map(secret -> signature(secret, id, timestamp, body)).collect(Collectors.joining(" "));
    }

    private static String signature(String secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
