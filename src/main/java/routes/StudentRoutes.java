package routes;

import static api.Http.pathId;
import static api.Http.reply;
import static routes.Requests.caller;
import static routes.Requests.classId;
import static routes.Requests.course;
import static routes.Requests.dropping;
import static routes.Requests.record;

import auth.Caller;
import enrollment.Answers.Status;
import enrollment.Catalog;
import enrollment.ClassViews;
import enrollment.Enrollments;
import enrollment.Enrollments.Outcome;
import enrollment.Waitlists;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/**
 * What a student does (docs/api.md "Student"); the REST surface is camel/student.yaml, each operation sending to
 * the flow of the same name. The student is always the caller named by the token, never an id from the path.
 */
public class StudentRoutes extends RouteBuilder {

    @BeanInject
    private ClassViews classViews;
    @BeanInject
    private Catalog catalog;
    @BeanInject
    private Enrollments enrollments;
    @BeanInject
    private Waitlists waitlists;

    /**
     * The caller takes a seat of the class read: a swap's (its drop in the same transaction) or an enroll's.
     *
     * @return the seat's Outcome
     */
    private Outcome takeSeat(Exchange exchange) {
        Caller caller = caller(exchange);
        long version = record(exchange).schedule().version();
        Long dropping = dropping(exchange);
        return dropping == null
                ? enrollments.enroll(course(exchange), caller.id(), caller.name(), version, null)
                : enrollments.swap(dropping, course(exchange), caller.id(), caller.name(), version, null);
    }

    static ProblemException alreadyEnrolled() {
        return ProblemException.conflict("already-enrolled", "you are enrolled in this class");
    }

    @Override
    public void configure() {
        from("direct:list-open-classes").routeId("list-open-classes")
                .setBody(e -> classViews.openClasses())
                .process(reply(200));

        from("direct:list-my-enrollments").routeId("list-my-enrollments")
                .setBody(e -> catalog.enrollmentsOf(caller(e).id()))
                .process(reply(200));

        from("direct:enroll").routeId("enroll")
                .process(pathId("classId"))
                .to("direct:add-class")
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .setBody(e -> Status.of("enrolled", classId(e)))
                        .process(reply(201))
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .throwException(alreadyEnrolled())
                    .otherwise()
                        .setBody(e -> Status.waitlisted(classId(e),
                                waitlists.join(classId(e), caller(e).id(), caller(e).name())))
                        .process(reply(202))
                .end();

        // What an enroll and a swap share (the class in header classId): reads first, a seat transaction only when a
        // seat may be free: at a rush most students meet a full class, and their answer must not wait behind the
        // transactions of those who get seats. A free seat goes to the newcomer only when nobody waits for it
        // (automatic enrollment frozen, a promotion under way): otherwise they join the list behind the others. Only
        // inside the student's registration window, without a hold, and when the registration rules pass (for a
        // waiting place too). Answers the seat's Outcome: FULL_OR_NO_CLASS sends the student to the list.
        from("direct:add-class").routeId("add-class")
                .to("direct:check-registration")
                .filter(e -> waitlists.position(classId(e), caller(e).id()) > 0).id("waitlist-rank")
                    .throwException(ProblemException.conflict("already-waitlisted", "you are on this class's waiting list"))
                .end()
                .filter(e -> enrollments.find(classId(e), caller(e).id()) != null)
                    .throwException(alreadyEnrolled())
                .end()
                .to("direct:get-class")
                .setProperty(Requests.COURSE, body())
                .to("direct:check-registration-rules")
                .choice()
                    .when(e -> course(e).hasFreeSeat() && waitlists.nobodyWaiting(classId(e)))
                        .to("direct:take-seat")
                        .filter(body().isEqualTo(Outcome.ENROLLED))
                            .process(e -> classViews.classChanged(classId(e)))
                        .end()
                    .endChoice()
                    .otherwise()
                        .setBody(constant(Outcome.FULL_OR_NO_CLASS))
                .end();

        // The seat transaction, under the schedule version the rules were checked against: when another request of
        // the student stored first (docs/api.md: of two at once that pass alone but not together, one succeeds), the
        // rules are checked again against what it stored. Answers the seat's Outcome; a class full (or removed, 404)
        // since it was read sends the student to its list.
        from("direct:take-seat").routeId("take-seat")
                .setBody(this::takeSeat)
                .loopDoWhile(body().isEqualTo(Outcome.SCHEDULE_CHANGED))
                    .to("direct:read-student-record")
                    .to("direct:check-registration-rules")
                    .setBody(this::takeSeat)
                .end()
                .filter(body().isEqualTo(Outcome.FULL_OR_NO_CLASS))
                    .to("direct:get-class")
                    .setBody(constant(Outcome.FULL_OR_NO_CLASS))
                .end();

        from("direct:drop").routeId("drop")
                .process(pathId("classId"))
                .filter(e -> !enrollments.drop(classId(e), caller(e).id(), caller(e).name(), false))
                    .throwException(ProblemException.notFound("not-enrolled", "you are not enrolled in this class"))
                .end()
                .process(e -> classViews.classChanged(classId(e)))
                .to("direct:request-promotion")
                .setBody(e -> Status.of("dropped", classId(e)))
                .process(reply(200));

        from("direct:show-waitlist-position").routeId("show-waitlist-position")
                .process(pathId("classId"))
                .setBody(e -> classViews.position(classId(e), caller(e).id()))
                .to("direct:answer-conditionally");

        from("direct:leave-waitlist").routeId("leave-waitlist")
                .process(pathId("classId"))
                .filter(e -> !waitlists.leave(classId(e), caller(e).id()))
                    .throwException(ProblemException.notFound("not-waitlisted", "you are not on this class's waiting list"))
                .end()
                .setBody(e -> Status.of("removed", classId(e)))
                .process(reply(200));
    }
}
