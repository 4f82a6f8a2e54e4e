package notify;

import enrollment.Classes;
import enrollment.CourseClass;
import java.util.List;

/** {@code GET /student/subscriptions}: the student's own subscriptions, with each class's title. */
public final class SubscriptionListing {

    private final Subscriptions subscriptions;
    private final Classes classes;

    public SubscriptionListing(Subscriptions subscriptions, Classes classes) {
        this.subscriptions = subscriptions;
        this.classes = classes;
    }

    /** One subscription; {@code webhookDisabled} is true after its target answered 410 Gone. */
    public record Entry(long classId, String title, String email, String callbackUrl, boolean webhookDisabled) {
    }

    /** {@code GET /student/subscriptions}: the student's subscriptions, each with its class's title. */
    public record SubscriptionList(List<Entry> subscriptions) {
    }

    public SubscriptionList of(long studentId) {
        return new SubscriptionList(subscriptions.of(studentId).stream()
                .map(s -> new Entry(s.classId(), classes.find(s.classId()).map(CourseClass::title).orElse(null),
                        s.email(), s.callbackUrl(), s.webhookDisabled()))
                .toList());
    }
}
