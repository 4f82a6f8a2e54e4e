package store;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * One table's keys and global secondary indexes, written the way a reader thinks of them:
 * {@code TableSpec.of("classes").hash("id", N).index("byInstructor", "instructorId", N)}.
 */
public final class TableSpec {

    public static final ScalarAttributeType N = ScalarAttributeType.N;
    public static final ScalarAttributeType S = ScalarAttributeType.S;

    private final String name;
    private final List<KeySchemaElement> keys = new ArrayList<>();
    private final List<AttributeDefinition> attributes = new ArrayList<>();
    private final List<GlobalSecondaryIndex> indexes = new ArrayList<>();

    private TableSpec(String name) {
        this.name = name;
    }

    public static TableSpec of(String name) {
        return new TableSpec(name);
    }

    public String name() {
        return name;
    }

    public TableSpec hash(String attribute, ScalarAttributeType type) {
        return key(attribute, type, KeyType.HASH);
    }

    public TableSpec range(String attribute, ScalarAttributeType type) {
        return key(attribute, type, KeyType.RANGE);
    }

    /** A GSI projecting all attributes, with a hash key and an optional range key. */
    public TableSpec index(String indexName, String hashAttribute, ScalarAttributeType hashType,
                           String rangeAttribute, ScalarAttributeType rangeType) {
        List<KeySchemaElement> indexKeys = new ArrayList<>();
        indexKeys.add(element(hashAttribute, KeyType.HASH));
        define(hashAttribute, hashType);
        if (rangeAttribute != null) {
            indexKeys.add(element(rangeAttribute, KeyType.RANGE));
            define(rangeAttribute, rangeType);
        }
        indexes.add(GlobalSecondaryIndex.builder().indexName(indexName).keySchema(indexKeys)
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build());
        return this;
    }

    CreateTableRequest createRequest() {
        CreateTableRequest.Builder request = CreateTableRequest.builder().tableName(name).keySchema(keys)
                .attributeDefinitions(attributes).billingMode(BillingMode.PAY_PER_REQUEST);
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    private TableSpec key(String attribute, ScalarAttributeType type, KeyType keyType) {
        keys.add(element(attribute, keyType));
        define(attribute, type);
        return this;
    }

    private void define(String attribute, ScalarAttributeType type) {
        if (attributes.stream().noneMatch(a -> a.attributeName().equals(attribute))) {
            attributes.add(AttributeDefinition.builder().attributeName(attribute).attributeType(type).build());
        }
    }

    private static KeySchemaElement element(String attribute, KeyType type) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(type).build();
    }
}
