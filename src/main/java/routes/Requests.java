package routes;

import auth.Authenticate;
import auth.Caller;
import enrollment.CourseClass;
import enrollment.StudentRecord;
import org.apache.camel.Exchange;

/**
 * What a flow's steps read from its exchange: the caller the API route configuration authenticated, the ids
 * {@link api.Http#pathId} checked, and what an add has read for the registration rules (the student's record, the
 * class, the class a swap drops).
 */
final class Requests {

    /** Exchange properties of an add: the caller's record ({@code read-student-record}), the class, the swap's drop. */
    static final String RECORD = "studentRecord";
    static final String COURSE = "course";
    static final String DROPPING = "dropping";

    private Requests() {
    }

    /** @return the caller's record, as {@code read-student-record} last read it */
    static StudentRecord record(Exchange exchange) {
        return exchange.getProperty(RECORD, StudentRecord.class);
    }

    /** @return the class the add is for, as the flow read it */
    static CourseClass course(Exchange exchange) {
        return exchange.getProperty(COURSE, CourseClass.class);
    }

    /** @return the class a swap drops, or null for any other add */
    static Long dropping(Exchange exchange) {
        return exchange.getProperty(DROPPING, Long.class);
    }

    /** @return the authenticated caller ({@link Authenticate#CALLER}); set on every API route */
    static Caller caller(Exchange exchange) {
        return exchange.getProperty(Authenticate.CALLER, Caller.class);
    }

    /** @return the id in header {@code name}, as {@link api.Http#pathId} left it (a positive 64-bit integer) */
    static long id(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, Long.class);
    }

    /** @return the class id of the path ({@code {classId}}) */
    static long classId(Exchange exchange) {
        return id(exchange, "classId");
    }
}
