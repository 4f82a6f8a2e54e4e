package notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import json.Json;

/**
 * A student's subscription to a class: an email address, a webhook, or both. The secret signs the webhooks; after a
 * rotation the secrets it replaced sign them too until each one's grace period ends (newest first).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Subscription(long classId, String email, String callbackUrl, String secret,
                           @JsonIgnore long studentId, @JsonIgnore boolean webhookDisabled,
                           @JsonIgnore List<PreviousSecret> previousSecrets) {

    /** A secret a rotation replaced, and when it stops signing (epoch ms), as rotate-secret.lua stores it. */
    public record PreviousSecret(String secret, long expiresAt) {
    }

    static Subscription from(Map<Object, Object> hash) {
        return new Subscription(Long.parseLong((String) hash.get("classId")), blankToNull(hash.get("email")),
                blankToNull(hash.get("callbackUrl")), (String) hash.get("secret"),
                Long.parseLong((String) hash.get("studentId")), "1".equals(hash.get("webhookDisabled")),
                previous((String) hash.get("previousSecrets")));
    }

    /**
     * The secrets that sign an attempt made now: the current one, then each replaced one still in its grace
     * period, newest first (Standard Webhooks: one signature per secret, so a receiver that knows either verifies).
     *
     * @param nowMillis the attempt's time (epoch ms)
     * @return at least the current secret
     */
    public List<String> signingSecrets(long nowMillis) {
        List<String> secrets = new ArrayList<>(List.of(secret));
        previousSecrets.stream().filter(old -> old.expiresAt() > nowMillis).map(PreviousSecret::secret)
                .forEach(secrets::add);
        return secrets;
    }

    private static List<PreviousSecret> previous(String stored) {
        if (stored == null || stored.isEmpty()) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(stored, new TypeReference<List<PreviousSecret>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("previousSecrets of a subscription is not what rotate-secret.lua writes", e);
        }
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
