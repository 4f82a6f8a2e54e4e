package notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A student's subscription to a class: an email address, a webhook, or both. The secret signs the webhooks. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Subscription(long classId, String email, String callbackUrl, String secret,
                           @JsonIgnore long studentId, @JsonIgnore boolean webhookDisabled) {

    static Subscription from(Map<Object, Object> hash) {
        return new Subscription(Long.parseLong((String) hash.get("classId")), blankToNull(hash.get("email")),
                blankToNull(hash.get("callbackUrl")), (String) hash.get("secret"),
                Long.parseLong((String) hash.get("studentId")), "1".equals(hash.get("webhookDisabled")));
    }

    public boolean wantsEmail() {
        return email != null;
    }

    public boolean wantsWebhook() {
        return callbackUrl != null && !webhookDisabled;
    }

    private static String blankToNull(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
