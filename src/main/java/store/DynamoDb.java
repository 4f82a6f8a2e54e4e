package store;

import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/** The DynamoDB client and the start-up step that creates the service's tables when they are missing. */
public final class DynamoDb {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDb.class);

    private DynamoDb() {
    }

    /**
     * A client for the endpoint, with credentials from the usual AWS chain. When the chain has none, placeholder
     * credentials are used: DynamoDB Local (embedded or not) accepts any, and real AWS refuses them clearly.
     */
    public static DynamoDbClient client(URI endpoint, String region) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.of(region))
                .credentialsProvider(AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(),
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(128))
                .build();
    }

    /**
     * Creates each table that does not exist yet and waits until all are active. Safe when several instances
     * start at once: a concurrent creation is just another instance winning the race.
     */
    public static void createMissingTables(DynamoDbClient dynamo, List<TableSpec> tables) {
        List<String> existing = dynamo.listTablesPaginator().tableNames().stream().toList();
        for (TableSpec table : tables) {
            if (existing.contains(table.name())) {
                continue;
            }
            try {
                dynamo.createTable(table.createRequest());
                LOG.info("created DynamoDB table {}", table.name());
            } catch (ResourceInUseException raced) {
                LOG.debug("table {} was created by another instance", table.name());
            }
        }
        for (TableSpec table : tables) {
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table.name()));
        }
    }
}
