package notify;

import event.Event;
import java.net.URI;

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

    /**
     * Where the delivery goes, as the unit that fails together: the mail relay for every email, the origin
     * ({@code scheme://host:port}, RFC 6454) of a webhook's target. Attempts in flight are bounded, and a circuit
     * is kept, per destination.
     */
    public String destination() {
        if (EMAIL.equals(channel)) {
            return "smtp-relay";
        }
        URI uri = URI.create(target);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return uri.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT)
                + ":" + port;
    }

    public Delivery attempted() {
        return new Delivery(id, channel, target, event, attempts + 1);
    }

    public Delivery fromTheStart() {
        return new Delivery(id, channel, target, event, 0);
    }
}
