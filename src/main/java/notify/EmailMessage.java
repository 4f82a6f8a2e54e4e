package notify;

import event.Event;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Turns an email delivery into the message camel-mail sends: To, From, Subject, Message-ID and a plain body. */
public final class EmailMessage {

    private final String from;

    public EmailMessage(String from) {
        this.from = from;
    }

    public void prepare(Exchange exchange) {
        Delivery delivery = exchange.getMessage().getBody(Delivery.class);
        Event event = delivery.event();
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader("To", delivery.target());
        out.setHeader("From", from);
        out.setHeader("Subject", subject(event.type()));
        // the same event always has the same Message-ID, so a mail client can spot a duplicate
        out.setHeader("Message-ID", "<" + event.id() + "@enrollment-service>");
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        out.setBody(body(event));
    }

    static String subject(String type) {
        return switch (type) {
            case Event.ENROLLED -> "New Enrollment";
            case Event.DROPPED -> "Dropped from a class";
            default -> "Class removed";
        };
    }

    static String body(Event event) {
        String student = event.studentName() == null ? "student " + event.studentId() : event.studentName();
        String course = event.title() + " (class " + event.classId() + ")";
        return switch (event.type()) {
            case Event.ENROLLED -> "Hello " + student + ",\n\na seat freed up and you have been enrolled in "
                    + course + " from its waiting list.\n";
            case Event.DROPPED -> "Hello " + student + ",\n\nyou have been dropped from " + course + ".\n";
            default -> "Hello " + student + ",\n\nthe class " + course + " has been removed.\n";
        };
    }
}
