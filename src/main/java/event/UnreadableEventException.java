package event;

/** A queue message that is not a readable event (docs/api.md "Delivery"); the message says why, in a sentence. */
public final class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String reason) {
        super(reason, null, false, false);
    }
}
