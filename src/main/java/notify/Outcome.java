package notify;

import store.StoreCheck;

/** How one attempt of a delivery ended, and when the next one may be (the target's Retry-After, if any). */
public record Outcome(Kind kind, String error, Long retryAfterSeconds) {

    public enum Kind { DELIVERED, RETRY, PERMANENT_FAILURE, GONE }

    public static Outcome delivered() {
        return new Outcome(Kind.DELIVERED, null, null);
    }

    public static Outcome retry(String error) {
        return new Outcome(Kind.RETRY, error, null);
    }

    /**
     * What a webhook's HTTP status means (docs/api.md "Delivery"): 2xx delivered, 410 gone, 408/429/5xx retried,
     * other 4xx (and anything else, such as a redirect that is not followed) a permanent failure.
     */
    public static Outcome ofWebhookStatus(int status, String retryAfter) {
        if (status >= 200 && status < 300) {
            return delivered();
        }
        if (status == 410) {
            return new Outcome(Kind.GONE, "410 Gone: the webhook is disabled", null);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome(Kind.RETRY, "HTTP " + status, parseRetryAfter(retryAfter));
        }
        return new Outcome(Kind.PERMANENT_FAILURE, "HTTP " + status, null);
    }

    /** Retry-After in seconds; the HTTP-date form is read as the seconds until that date. */
    static Long parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                java.time.ZonedDateTime date = java.time.ZonedDateTime.parse(value.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, date.toEpochSecond() - java.time.Instant.now().getEpochSecond());
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /** The outcome of a webhook POST that got an answer. */
    public static Outcome ofWebhookAnswer(org.apache.camel.Exchange exchange) {
        return ofWebhookStatus(exchange.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, 0,
                Integer.class), exchange.getMessage().getHeader("Retry-After", String.class));
    }

    /** An attempt that got no answer (connection refused, timeout, SMTP down...) is retried. */
    public static Outcome ofFailedAttempt(org.apache.camel.Exchange exchange) {
        return retry(reason(exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class)));
    }

    /**
     * Why an attempt got no answer, as a sentence an operator reads in a dead letter ("timed out after 10 s",
     * "connection refused"), never an exception's class name (docs/api.md "Delivery").
     */
    static String reason(Throwable failure) {
        for (Throwable t : StoreCheck.causes(failure)) {
            if (t instanceof WebhookDeadline.DeadlineExceededException) {
                return t.getMessage();
            }
            if (t instanceof org.apache.hc.client5.http.ConnectTimeoutException
                    || t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).contains("onnect")) {
                return "no connection within " + WebhookConnections.CONNECT_TIMEOUT_SECONDS + " s";
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return "timed out after " + WebhookConnections.READ_TIMEOUT_SECONDS + " s";
            }
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.UnknownHostException unknown) {
                return String.valueOf(unknown.getMessage()).contains("non-public")
                        ? "the target now resolves to a non-public address" : "the host name does not resolve";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "the TLS handshake failed";
            }
            if (t instanceof java.net.SocketException) {
                return "the connection was reset";
            }
        }
        return StoreCheck.firstLine(failure == null ? null : failure.getMessage());
    }
}
