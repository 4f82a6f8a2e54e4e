package json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.jackson.JacksonDataFormat;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.stream.Collectors;
import problem.ProblemException;

/**
 * The one JSON mapper of the service. Reading is strict (a body that is not a JSON object, such as {@code null}
 * or an array, unknown fields, wrong types, fractions or exponents where an integer is expected, duplicate keys
 * and trailing tokens are refused; the request records refuse missing fields in their constructors) and every
 * refusal becomes a 400 whose detail names the field, never a Java type or class.
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // 1.5 or 1e1 where an integer is expected is a wrong type, not 1 or 10
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            // a number or boolean where text is expected is a wrong type, not text
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            // and 1 or 0 where true or false is expected
            .withCoercionConfig(LogicalType.Boolean, bool -> bool
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private Json() {
    }

    /**
     * Reads a request body into {@code type}; a record type's components are its fields.
     *
     * @return the value, never null
     * @throws ProblemException 400 {@code invalid-request} when the body is empty, is not one JSON object
     *     ({@code null}, an array, a scalar) or does not fit {@code type}
     */
    public static <T> T read(String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            throw ProblemException.invalid("the request needs a JSON body");
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            // null would reach the flows as a missing body, an array as whatever a deserializer makes of it
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.invalid("the body must be a JSON object");
            }
            return MAPPER.readValue(parser, type);
        } catch (UnrecognizedPropertyException e) {
            throw ProblemException.invalid("unknown field '" + e.getPropertyName() + "'");
        } catch (InvalidNullException e) {
            throw ProblemException.invalid("field '" + path(e) + "' must not be null");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw ProblemException.invalid(field.isEmpty()
                    ? "the body must be a JSON object"
                    : "field '" + field + "' has the wrong type");
        } catch (JsonMappingException e) {
            // A record's compact constructor refused a value: its message is written for the client.
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : null;
            throw ProblemException.invalid(cause != null ? cause.getMessage() : "invalid value for '" + path(e) + "'");
        } catch (IOException e) {
            throw ProblemException.invalid("malformed JSON");
        }
    }

    /**
     * camel-jackson's data format on {@link #MAPPER}, for a route's {@code marshal} (any value to JSON bytes) and
     * {@code unmarshal} (JSON to {@code type}). It sets no Content-Type header: each route says what it sends.
     *
     * @param type what unmarshal reads into
     * @return a new data format; Camel starts it with the route that uses it
     */
    public static JacksonDataFormat format(Class<?> type) {
        JacksonDataFormat format = new JacksonDataFormat(MAPPER, type);
        format.setContentTypeHeader(false);
        return format;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }
}
