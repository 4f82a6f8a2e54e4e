package notify;

import java.time.Instant;

/**
 * The body of {@code POST /registrar/dead-letters/replay}: which dead letters to try again. {@code since} is
 * required; a dead letter matches when it failed at or after {@code since} and before {@code until} (when given),
 * on {@code channel} (when given) and to exactly {@code target} (when given). Messages that were no event (channel
 * {@code unreadable}) never match.
 *
 * @param since ISO-8601 instant, inclusive
 * @param until ISO-8601 instant, exclusive; after {@code since}
 * @param channel {@code email} or {@code webhook}
 * @param target the email address or callback URL, as the dead letters list it
 * @throws IllegalArgumentException (a 400 when read from a body) when {@code since} is missing, {@code until} is not
 *         after it, or {@code channel} is neither channel
 */
public record ReplayRequest(Instant since, Instant until, String channel, String target) {

    public ReplayRequest {
        if (since == null) {
            throw new IllegalArgumentException("field 'since' is required (an ISO-8601 instant)");
        }
        if (until != null && !until.isAfter(since)) {
            throw new IllegalArgumentException("field 'until' must be after 'since'");
        }
        if (channel != null && !Delivery.EMAIL.equals(channel) && !Delivery.WEBHOOK.equals(channel)) {
            throw new IllegalArgumentException("field 'channel' must be 'email' or 'webhook'");
        }
    }

    /** Whether this dead letter is one to replay (one that was no event never is). */
    boolean matches(DeadLetter.Stored letter) {
        Delivery delivery = letter.delivery();
        return delivery != null && !letter.failedAt().isBefore(since)
                && (until == null || letter.failedAt().isBefore(until))
                && (channel == null || channel.equals(delivery.channel()))
                && (target == null || target.equals(delivery.target()));
    }
}
