package json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.apache.camel.Exchange;
import org.apache.camel.component.jackson.JacksonDataFormat;
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

    private static final String NO_BODY = "the request needs a JSON body";
    private static final String NOT_AN_OBJECT = "the body must be a JSON object";

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
            throw ProblemException.invalid(NO_BODY);
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            // null would reach the flows as a missing body, an array as whatever a deserializer makes of it
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ProblemException.invalid(NOT_AN_OBJECT);
            }
            return MAPPER.readValue(parser, type);
        } catch (IOException e) {
            throw refusal(e);
        }
    }

    /**
     * camel-jackson's data format on {@link #MAPPER} (none from the registry, no other settings): request bodies,
     * answers, events. A body unmarshalled with it is read as strictly as {@link #read} reads one and refused with
     * the same 400 details. It marshals the UTF-8 bytes of what {@link #write} writes (a lone surrogate aside:
     * escaped, where encoding that text would put '?') and sets no Content-Type header: each route says what it sends.
     *
     * @param type what a body is unmarshalled into
     * @return a new data format (Camel starts it with the route that uses it), whose unmarshal takes the request's
     *     text (null when it has none) and throws {@link ProblemException} 400 {@code invalid-request} where
     *     {@link #read} does
     */
    public static JacksonDataFormat format(Class<?> type) {
        return new StrictFormat(type);
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The 400 a body that Jackson could not read, or not into its type, earns: the detail names the field. */
    private static ProblemException refusal(IOException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return ProblemException.invalid("unknown field '" + unknown.getPropertyName() + "'");
        }
        if (e instanceof InvalidNullException nullField) {
            return ProblemException.invalid("field '" + path(nullField) + "' must not be null");
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            return ProblemException.invalid(field.isEmpty()
                    ? NOT_AN_OBJECT
                    : "field '" + field + "' has the wrong type");
        }
        if (e instanceof JsonMappingException mapping) {
            // A record's compact constructor refused a value: its message is written for the client.
            Throwable cause = mapping.getCause() instanceof IllegalArgumentException iae ? iae : null;
            return ProblemException.invalid(cause != null
                    ? cause.getMessage()
                    : "invalid value for '" + path(mapping) + "'");
        }
        return ProblemException.invalid("malformed JSON");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    /** {@link #format}: Camel's Jackson data format with the refusals of {@link #read}. */
    private static final class StrictFormat extends JacksonDataFormat {

        StrictFormat(Class<?> type) {
            super(MAPPER, type);
            setUseDefaultObjectMapper(false);
            setAutoDiscoverObjectMapper(false);
            setAutoDiscoverSchemaResolver(false);
            setContentTypeHeader(false);
            // as write(...).getBytes(UTF_8): an emoji as its four UTF-8 bytes, not as an escaped surrogate pair
            setCombineUnicodeSurrogates(true);
        }

        /**
         * @param body the request's text, null when it had none
         * @return the body read into the unmarshal type, never null
         * @throws ProblemException 400 {@code invalid-request}, as {@link #read} for the same text
         */
        @Override
        public Object unmarshal(Exchange exchange, Object body) throws Exception {
            if (body == null) {
                throw ProblemException.invalid(NO_BODY);
            }
            Object value;
            try {
                value = super.unmarshal(exchange, body);
            } catch (IOException e) {
                throw refusal(e);
            }
            // Jackson reads JSON null as null; an array or a scalar into a record fails without a field's path
            if (value == null) {
                throw ProblemException.invalid(NOT_AN_OBJECT);
            }
            return value;
        }
    }
}
