package app;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import store.Redis;
import store.Smtp;
import store.Tables;

/**
 * The clients of the four stores, made by {@link EnrollmentService} before Camel starts (so that the stores are
 * prepared and checked while Camel initialises) and closed by it after Camel stops.
 *
 * @param dynamo the DynamoDB client (AWS SDK v2)
 * @param tables the DynamoDB table names under STORE_PREFIX
 * @param redis the Redis connection pool
 * @param broker the RabbitMQ connection factory
 * @param smtp the mail relay's settings and sessions
 */
record StoreClients(DynamoDbClient dynamo, Tables tables, Redis redis, CachingConnectionFactory broker, Smtp smtp) {
}
