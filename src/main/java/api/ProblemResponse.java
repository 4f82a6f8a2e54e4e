package api;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import problem.Problem;
import problem.ProblemException;
import store.StoreCheck;
import store.StoreFailures;

/**
 * Turns the exception caught on an API exchange into its RFC 9457 answer. A {@link ProblemException} keeps
 * its status and code; contention or throttling past the request's time budget is {@code 503 busy}, a store
 * unreachable or not ready {@code 503 unavailable}, both with {@code Retry-After} (docs/api.md "Errors"; which failure is
 * which is {@link StoreFailures}'s); anything else is logged here with its stack trace and answered with a generic
 * 500, so no stack trace, class name or host name ever reaches a client.
 */
public final class ProblemResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponse.class);
    /** A rush settles in seconds; clients that come back after this mostly find it settled. */
    private static final String BUSY_RETRY_AFTER_SECONDS = "2";
    /** A restarted Redis or broker, a failed-over node, usually answers again within seconds. */
    private static final String UNAVAILABLE_RETRY_AFTER_SECONDS = "5";

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem = known(failure);
        if (problem == null) {
            problem = unexpected(exchange, failure);
        }
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        problem.headers().forEach(out::setHeader);
        write(out, Problem.of(problem.status(), problem.code(), problem.getMessage(), problem.members()));
    }

    /**
     * Answers with the problem.
     *
     * @throws Exception when the problem cannot be written as JSON
     */
    public static void write(Message out, Problem problem) throws Exception {
        ByteBuffer body = Http.json(out.getExchange(), problem);
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        out.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        out.setBody(body);
    }

    /** The ProblemException behind a failure, also when Camel wrapped it (a bean called from an expression). */
    private static ProblemException known(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException problem) {
                return problem;
            }
        }
        return null;
    }

    private static ProblemException unexpected(Exchange exchange, Throwable failure) {
        if (StoreFailures.isBusy(failure)) {
            LOG.info("{} answered busy: {}", exchange.getFromRouteId(), failure.getMessage());
            return new ProblemException(503, "busy", "the class is in high demand right now; nothing was changed, "
                    + "try again in a moment", Map.of("Retry-After", BUSY_RETRY_AFTER_SECONDS));
        }
        if (StoreFailures.isUnavailable(failure)) {
            // one line, no stack trace: during an outage every request would log one
            LOG.warn("{} answered unavailable: {}", exchange.getFromRouteId(), StoreCheck.describe(failure));
            return new ProblemException(503, "unavailable", "a backing store is unavailable or not ready; "
                    + "try again shortly", Map.of("Retry-After", UNAVAILABLE_RETRY_AFTER_SECONDS));
        }
        LOG.error("{} failed", exchange.getFromRouteId(), failure);
        return new ProblemException(500, "internal-error", "the request could not be completed");
    }
}
