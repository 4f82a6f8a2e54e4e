package api;

import app.Json;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import problem.ProblemException;

/** The processors every API flow starts and ends with: read the JSON body, read a path id, answer with JSON. */
public final class Http {

    public static final String JSON = "application/json; charset=utf-8";

    private Http() {
    }

    /** Replaces the body with the request's JSON read strictly into {@code type} (400 otherwise). */
    public static Processor readJson(Class<?> type) {
        return exchange -> exchange.getMessage().setBody(Json.read(exchange.getMessage().getBody(String.class), type));
    }

    /** As {@link #readJson}, but an empty body is allowed and becomes null (targets may come in headers). */
    public static Processor readOptionalJson(Class<?> type) {
        return exchange -> {
            String body = exchange.getMessage().getBody(String.class);
            exchange.getMessage().setBody(body == null || body.isBlank() ? null : Json.read(body, type));
        };
    }

    /** Answers with the body as JSON and the given status. */
    public static Processor reply(int status) {
        return exchange -> {
            var out = exchange.getMessage();
            Object body = out.getBody();
            out.removeHeaders("*", "ETag|Last-Modified|Location|Cache-Control");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
            out.setHeader(Exchange.CONTENT_TYPE, JSON);
            out.setBody(bytes(body instanceof String text ? text : Json.write(body)));
        };
    }

    /** 304 Not Modified: no body, the validators set by {@link Conditional} kept. */
    public static Processor notModified() {
        return exchange -> {
            var out = exchange.getMessage();
            out.removeHeaders("*", "ETag|Last-Modified|Cache-Control");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            out.setBody(null);
        };
    }

    /** Replaces the path parameter's header with its value as a positive 64-bit id, or answers 400. */
    public static Processor pathId(String name) {
        return exchange -> exchange.getMessage().setHeader(name, pathId(exchange, name));
    }

    /** An answer body as bytes, so Vert.x sends a Content-Length instead of a chunked answer (much slower). */
    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long pathId(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below, like any other bad id
        }
        throw ProblemException.invalid("'" + name + "' must be a positive integer id");
    }
}
