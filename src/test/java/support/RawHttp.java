package support;

import app.EnrollmentService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection written byte by byte, for what a well-behaved client cannot send: no Host, a
 * request-target of {@code *}, Content-Length with Transfer-Encoding, a huge URL or header block. Reads answers
 * one at a time and tells whether the server closed the connection.
 */
public final class RawHttp implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final InputStream in;

    public RawHttp(EnrollmentService service) {
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), service.settings().httpPort());
            socket.setSoTimeout(5_000);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new AssertionError("cannot connect", e);
        }
    }

    /** An answer as it came on the wire: the status line, the header fields (names in lower case), the body. */
    public record Answer(String statusLine, int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** Sends the text as it is (ISO-8859-1, so every char is one byte). */
    public RawHttp send(String request) {
        try {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new AssertionError("cannot send", e);
        }
    }

    /** Reads one answer; a body is read by its Content-Length (none for HEAD, 204 and 304). */
    public Answer read(boolean head) {
        try {
            String statusLine = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String field = line(); !field.isEmpty(); field = line()) {
                int colon = field.indexOf(':');
                headers.put(field.substring(0, colon).trim().toLowerCase(Locale.ROOT), field.substring(colon + 1).trim());
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            String length = headers.get("content-length");
            byte[] body = head || status == 204 || status == 304 || length == null ? new byte[0]
                    : in.readNBytes(Integer.parseInt(length));
            return new Answer(statusLine, status, headers, new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("no answer", e);
        }
    }

    public Answer read() {
        return read(false);
    }

    /** True when the server closed the connection (end of stream) within the socket's timeout. */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("connection closed before the end of the answer's head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to do with a broken connection
        }
    }
}
