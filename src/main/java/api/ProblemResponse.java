package api;

import java.util.Map;
import json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import problem.Problem;
import problem.ProblemException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import store.DynamoDb;
import store.StoreBusyException;
import store.StoreCheck;

/**
 * Turns the exception caught on an API exchange into its RFC 9457 answer. A {@link ProblemException} keeps
 * its status and code; contention or throttling past the request's time budget is {@code 503 busy} with
 * {@code Retry-After} (API.md "Errors"); anything else is logged here and answered with a generic 500 (or 503
 * when a store is unreachable), so no stack trace, class name or host name ever reaches a client.
 */
public final class ProblemResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponse.class);
    /** A rush settles in seconds; clients that come back after this mostly find it settled. */
    private static final String RETRY_AFTER_SECONDS = "2";

    @Override
    public void process(Exchange exchange) {
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

    public static void write(Message out, Problem problem) {
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        out.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        out.setBody(Http.body(Json.write(problem)));
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
        if (isBusyStore(failure)) {
            LOG.info("{} answered busy: {}", exchange.getFromRouteId(), failure.getMessage());
            return new ProblemException(503, "busy", "the class is in high demand right now; nothing was changed, "
                    + "try again in a moment", Map.of("Retry-After", RETRY_AFTER_SECONDS));
        }
        if (isUnreachableStore(failure)) {
            LOG.warn("{} failed: a store is unreachable: {}", exchange.getFromRouteId(), failure.toString());
            return new ProblemException(503, "unavailable", "a backing store is unavailable; try again shortly");
        }
        LOG.error("{} failed", exchange.getFromRouteId(), failure);
        return new ProblemException(500, "internal-error", "the request could not be completed");
    }

    /**
     * Contention or throttling that outlasted the request's time budget (the client's retries are spent): nothing
     * was written, so the client may simply try again.
     */
    private static boolean isBusyStore(Throwable failure) {
        return StoreCheck.causes(failure).stream().anyMatch(t -> t instanceof StoreBusyException
                || t instanceof ApiCallTimeoutException || DynamoDb.isContention(t)
                || t instanceof SdkServiceException service && service.isThrottlingException());
    }

    private static boolean isUnreachableStore(Throwable failure) {
        return StoreCheck.causes(failure).stream().anyMatch(t -> t instanceof java.net.ConnectException
                || t instanceof java.net.SocketTimeoutException
                || t.getClass().getName().endsWith("RedisConnectionFailureException")
                || t.getClass().getName().endsWith("JedisConnectionException")
                || t.getClass().getName().endsWith("SdkClientException"));
    }
}
