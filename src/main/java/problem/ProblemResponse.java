package problem;

import api.Http;
import app.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the exception caught on an API exchange into its RFC 9457 answer. A {@link ProblemException} keeps
 * its status and code; anything else is logged here and answered with a generic 500 (or 503 when a store is
 * unreachable), so no stack trace, class name or host name ever reaches a client.
 */
public final class ProblemResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponse.class);

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
        write(out, Problem.of(problem.status(), problem.code(), problem.getMessage()));
    }

    public static void write(Message out, Problem problem) {
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        out.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
        out.setBody(Http.bytes(Json.write(problem)));
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
        if (isUnreachableStore(failure)) {
            LOG.warn("{} failed: a store is unreachable: {}", exchange.getFromRouteId(), failure.toString());
            return new ProblemException(503, "unavailable", "a backing store is unavailable; try again shortly");
        }
        LOG.error("{} failed", exchange.getFromRouteId(), failure);
        return new ProblemException(500, "internal-error", "the request could not be completed");
    }

    private static boolean isUnreachableStore(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || name.endsWith("RedisConnectionFailureException") || name.endsWith("JedisConnectionException")
                    || name.endsWith("SdkClientException")) {
                return true;
            }
        }
        return false;
    }
}
