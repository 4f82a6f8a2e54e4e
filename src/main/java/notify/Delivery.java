package notify;

import event.Event;
import java.net.URI;
import java.util.Locale;

/**
 * One event to one target over one channel. Its id is the event id and the channel, so a message the broker
 * delivers twice maps to the same delivery, and a delivery that succeeded is recognised and not sent again.
 */
public record Delivery(String id, String channel, String target, Event event, int attempts) {

    public static final String EMAIL = "email";
    public static final String WEBHOOK = "webhook";

    public static Delivery first(Event event, String channel, String target) {
        return new Delivery(event.id() + ":" + channel, channel, target, event, 0);
    }

    /** The name of the mail relay as a destination: every email goes through it, so it fails as one. */
    public static final String MAIL_RELAY = "smtp-relay";

    /**
     * Where the delivery goes, as the unit that fails on its own (API.md "Delivery": admission and the circuit are
     * per target): the mail relay for every email, the callback URL itself for a webhook, so that one dead path of
     * a shared gateway (Slack, Zapier, a campus hook gateway) delays only its own deliveries.
     *
     * @return {@link #MAIL_RELAY}, or the webhook's callback URL as stored at subscription time
     */
    public String destination() {
        return EMAIL.equals(channel) ? MAIL_RELAY : target;
    }

    /**
     * The host a webhook's target lives on, as its origin ({@code scheme://host:port}, RFC 6454): the unit whose
     * attempts in flight are capped ({@code WEBHOOK_MAX_PER_HOST}) to protect it.
     *
     * @return the origin, lower case with the scheme's default port filled in; null for an email (the mail relay
     *         is one destination with no ceiling of its own)
     */
    public String host() {
        if (EMAIL.equals(channel)) {
            return null;
        }
        URI uri = URI.create(target);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    public Delivery attempted() {
        return new Delivery(id, channel, target, event, attempts + 1);
    }

    public Delivery fromTheStart() {
        return new Delivery(id, channel, target, event, 0);
    }
}
