package store;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;

/**
 * What a queue consumer does with a message its route failed on: it never acknowledges it (API.md "Delivery": a
 * message is acknowledged only once its delivery is safe). The message is tried again on the consumer's thread
 * with an exponential back-off, then handed back to the broker (nack with requeue), which gives it to a consumer
 * again; so while a store the route needs is down, the messages wait in their queue, each consumer thread trying
 * one of them every few seconds, and delivery resumes by itself when the store answers.
 *
 * <p>Spring AMQP's stateless retry without a recoverer logs "Message(s) dropped on recovery" and acknowledges the
 * message once its attempts are spent, and {@code RejectAndDontRequeueRecoverer} rejects it without requeue (lost
 * without a dead-letter exchange, which the service does not use): camel-spring-rabbitmq's
 * {@code maximumRetryAttempts} / {@code rejectAndDontRequeue} options build one of these two, so the consumers take
 * this interceptor as their {@code retry} option instead (camel-spring-rabbitmq's
 * {@code DefaultListenerContainerFactory}; Spring AMQP reference, "Message Listeners and the Asynchronous Case",
 * {@code ImmediateRequeueAmqpException}).
 */
public final class Requeue {

    private static final Logger LOG = LoggerFactory.getLogger(Requeue.class);

    private Requeue() {
    }

    /**
     * The consumers' retry: {@code attempts} tries on the consumer's thread, waiting {@code first}, then twice as
     * long each time up to {@code longest}, then the message goes back to its queue.
     *
     * @param attempts tries before the message goes back (at least 1)
     * @param first the wait after the first failed try
     * @param longest the longest wait between two tries
     * @return the interceptor for camel-spring-rabbitmq's {@code retry} consumer option
     */
    public static RetryOperationsInterceptor withBackOff(int attempts, Duration first, Duration longest) {
        return RetryInterceptorBuilder.stateless()
                .maxAttempts(attempts)
                .backOffOptions(first.toMillis(), 2.0, longest.toMillis())
                .recoverer(Requeue::toTheQueue)
                .build();
    }

    /** Hands the message back to the broker, saying why in one line (with the stack trace if no store is down). */
    private static void toTheQueue(Message message, Throwable cause) {
        String queue = message.getMessageProperties().getConsumerQueue();
        if (StoreFailures.isUnavailable(cause)) {
            LOG.warn("a message of queue {} goes back to it: a store is unavailable ({})", queue,
                    StoreCheck.describe(cause));
        } else {
            LOG.warn("a message of queue {} goes back to it after a failure", queue, cause);
        }
        throw new ImmediateRequeueAmqpException("back to queue " + queue, cause);
    }
}
