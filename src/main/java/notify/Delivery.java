package notify;

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

    public Delivery attempted() {
        return new Delivery(id, channel, target, event, attempts + 1);
    }

    public Delivery fromTheStart() {
        return new Delivery(id, channel, target, event, 0);
    }
}
