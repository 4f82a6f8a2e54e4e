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
        out.setHeader("Subject", subject(event));
        // the same event always has the same Message-ID, so a mail client can spot a duplicate
        out.setHeader("Message-ID", "<" + event.id() + "@enrollment-service>");
        out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=UTF-8");
        out.setBody(body(event));
    }

    static String subject(Event event) {
        return switch (event.type()) {
            case Event.ENROLLED -> "New Enrollment";
            case Event.SEAT_OFFERED -> "Seat offered: " + event.title();
            case Event.OFFER_EXPIRED -> "Seat offer expired: " + event.title();
            case Event.DROPPED -> "Dropped from a class";
            default -> "Class removed";
        };
    }

    /** How the seat came (an older event without {@code via} came from the waiting list). */
    private static String enrolled(Event event, String course) {
        if (Event.VIA_OFFER.equals(event.via())) {
            return "you accepted the seat offered to you and are now enrolled in " + course + ".\n";
        }
        if (Event.VIA_SWAP.equals(event.via())) {
            String dropped = (event.droppedTitle() == null ? "" : event.droppedTitle() + " ") + "(class "
                    + event.droppedClassId() + ")";
            return "your turn came on the waiting list of " + course + ", and your swap was made: you are now"
                    + " enrolled in " + course + " and no longer in " + dropped + ".\n";
        }
        return "a seat freed up and you have been enrolled in " + course + " from its waiting list.\n";
    }

    static String body(Event event) {
        String student = event.studentName() == null ? "student " + event.studentId() : event.studentName();
        String course = event.title() + " (class " + event.classId() + ")";
        return switch (event.type()) {
            case Event.ENROLLED -> "Hello " + student + ",\n\n" + enrolled(event, course);
            case Event.SEAT_OFFERED -> "Hello " + student + ",\n\na seat in " + course + " is offered to you from its"
                    + " waiting list. It is held for you until " + event.expiresAt() + " (UTC): accept it with POST"
                    + " /student/offers/" + event.classId() + " before then, or decline it with DELETE.\n";
            case Event.OFFER_EXPIRED -> "Hello " + student + ",\n\nthe seat offered to you in " + course
                    + " was not accepted by " + event.expiresAt() + " (UTC) and has passed to the next student"
                    + " waiting.\n";
            case Event.DROPPED -> "Hello " + student + ",\n\nyou have been dropped from " + course + ".\n";
            default -> "Hello " + student + ",\n\nthe class " + course + " has been removed.\n";
        };
    }
}
