package notify;

/** The body of {@code POST /student/subscribe/{classId}}: at least one target. */
public record SubscribeRequest(String email, String callbackUrl) {
}
