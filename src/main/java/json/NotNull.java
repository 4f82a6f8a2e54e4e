package json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.util.AccessPattern;
import java.io.IOException;

/**
 * For an optional field of a request record that may be left out but not sent as JSON {@code null}:
 * {@code @JsonDeserialize(using = NotNull.class)} on the component. Left out, the component is null; {@code null} is
 * refused ({@link Json#read}: 400 {@code invalid-request} naming the field); any other value is read as the
 * component's type reads it. Jackson's {@code @JsonSetter(nulls = Nulls.FAIL)} cannot say this of a record: a
 * constructor parameter left out is given its null value, so it would refuse the field's absence too.
 */
public final class NotNull extends JsonDeserializer<Object> implements ContextualDeserializer {

    private final BeanProperty property;
    private final JsonDeserializer<Object> values;

    /** What Jackson instantiates for the annotation; {@link #createContextual} makes the one that reads. */
    public NotNull() {
        this(null, null);
    }

    private NotNull(BeanProperty property, JsonDeserializer<Object> values) {
        this.property = property;
        this.values = values;
    }

    /** @return a deserializer for {@code property}, reading its values with its type's own deserializer */
    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext context, BeanProperty property)
            throws JsonMappingException {
        return new NotNull(property, context.findContextualValueDeserializer(property.getType(), property));
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        return values.deserialize(parser, context);
    }

    /** @throws InvalidNullException always: the field was sent as {@code null} */
    @Override
    public Object getNullValue(DeserializationContext context) throws InvalidNullException {
        throw InvalidNullException.from(context, property == null ? null : PropertyName.construct(property.getName()),
                property == null ? null : property.getType());
    }

    /** @return null: the field was left out */
    @Override
    public Object getAbsentValue(DeserializationContext context) {
        return null;
    }

    /** Asked on every null, never cached: a null is refused each time. */
    @Override
    public AccessPattern getNullAccessPattern() {
        return AccessPattern.DYNAMIC;
    }
}
