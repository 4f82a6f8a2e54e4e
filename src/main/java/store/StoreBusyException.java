package store;

/**
 * A store stayed contended or throttled past the request's time budget: nothing was written, and the same
 * request may be sent again later (docs/api.md "Errors", {@code 503 busy}).
 */
public final class StoreBusyException extends RuntimeException {

    public StoreBusyException(String detail) {
        super(detail, null, false, false);
    }
}
