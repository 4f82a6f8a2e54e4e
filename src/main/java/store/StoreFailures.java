package store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The two kinds of store failure a caller may simply wait out, told apart once for every store client (API.md
 * "Errors"): <em>busy</em> (contended or throttled past the time budget) and <em>unavailable</em> (unreachable or not
 * ready). The HTTP answers ({@code 503 busy} / {@code 503 unavailable}) and the queue consumers' back-off both read
 * them here.
 */
public final class StoreFailures {

    /**
     * Redis error replies of a server that is up but not ready to serve: still loading its data after a restart
     * ({@code LOADING}), running a script past its time limit ({@code BUSY}), a replica that lost its master
     * ({@code MASTERDOWN}). Redis's replies start with such an upper-case word (the Redis protocol spec, "Simple
     * errors").
     */
    private static final Set<String> REDIS_NOT_READY = Set.of("LOADING", "BUSY", "MASTERDOWN");

    private StoreFailures() {
    }

    /**
     * Whether the failure is contention or throttling that outlasted the request's time budget (the store client's
     * retries are spent, nothing was written): {@link StoreBusyException}, DynamoDB's transaction conflicts,
     * throttling, or its time budget ({@code apiCallTimeout}) spent on them.
     *
     * @param failure any exception, with its causes
     */
    public static boolean isBusy(Throwable failure) {
        return StoreCheck.causes(failure).stream().anyMatch(t -> t instanceof StoreBusyException
                || t instanceof ApiCallTimeoutException || DynamoDb.isContention(t)
                || t instanceof SdkServiceException service && service.isThrottlingException());
    }

    /**
     * Whether a store could not be reached or was not ready: refused or lost connections, time-outs, an exhausted
     * connection pool (Jedis's and Spring's "Cannot get Jedis connection"), Redis answering {@code LOADING} (or
     * {@code BUSY}, {@code MASTERDOWN}), the AWS SDK failing to reach DynamoDB, the broker unreachable or not
     * confirming in time. Such a failure passes when the store is back; a request or message may be tried again.
     * A DynamoDB time budget spent ({@code ApiCallTimeoutException}, an {@code SdkClientException}) is
     * {@link #isBusy busy}: callers ask that first.
     *
     * @param failure any exception, with its causes (and what they suppressed)
     */
    public static boolean isUnavailable(Throwable failure) {
        return StoreCheck.causes(failure).stream().anyMatch(t -> t instanceof ConnectException
                || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
                || t instanceof TimeoutException
                || t instanceof DataAccessResourceFailureException || t instanceof QueryTimeoutException
                || t instanceof JedisConnectionException
                || t instanceof JedisDataException && REDIS_NOT_READY.contains(firstWord(t.getMessage()))
                || t instanceof SdkClientException
                || t instanceof AmqpConnectException || t instanceof AmqpIOException
                || t instanceof AmqpTimeoutException);
    }

    private static String firstWord(String message) {
        if (message == null) {
            return "";
        }
        int space = message.indexOf(' ');
        return space < 0 ? message : message.substring(0, space);
    }
}
