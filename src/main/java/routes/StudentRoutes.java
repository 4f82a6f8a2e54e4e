package routes;

import static api.Http.pathId;
import static api.Http.reply;

import enrollment.Answers.Status;
import enrollment.Enrollments.Outcome;
import static org.apache.camel.builder.PredicateBuilder.and;

import auth.Caller;
import enrollment.Waitlists;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/**
 * What a student does (docs/api.md "Student"); the REST surface is camel/student.yaml. The student is always the
 * caller named by the token, never an id from the path.
 */
public class StudentRoutes extends RouteBuilder {

    @BeanInject
    private Waitlists waitlists;

    @Override
    public void configure() {
        from("direct:open-classes").routeId("list-open-classes")
                .bean("classViews", "openClasses")
                .process(reply(200));

        from("direct:my-enrollments").routeId("list-my-enrollments")
                .bean("catalog", "enrollmentsOf(${exchangeProperty.caller.id})")
                .process(reply(200));

        // Reads first, a seat transaction only when a seat may be free: at a rush most students meet a full class,
        // and their answer must not wait behind the transactions of those who get seats. A free seat goes to the
        // newcomer only when nobody waits for it (automatic enrollment frozen, a promotion under way): otherwise
        // they join the list behind the others. Only inside the student's registration window and without a hold.
        from("direct:enroll").routeId("enroll-or-waitlist")
                .process(pathId("classId"))
                .to("direct:check-registration")
                .filter(e -> waitlists.position(e.getMessage().getHeader("classId", Long.class),
                        e.getProperty("caller", Caller.class).id()) > 0).id("waitlist-rank")
                    .throwException(ProblemException.conflict("already-waitlisted", "you are on this class's waiting list"))
                .end()
                .filter(method("enrollments", "find(${header.classId}, ${exchangeProperty.caller.id})").isNotNull())
                    .throwException(ProblemException.conflict("already-enrolled", "you are enrolled in this class"))
                .end()
                .to("direct:get-class")
                .choice()
                    .when(and(simple("${body.hasFreeSeat()}"),
                            method("waitlists", "nobodyWaiting(${header.classId})")))
                        .bean("enrollments", "enroll(${header.classId}, ${exchangeProperty.caller.id}, ${exchangeProperty.caller.name})")
                        .filter(body().isEqualTo(Outcome.FULL_OR_NO_CLASS))
                            // full since it was read, or removed (404)
                            .to("direct:get-class")
                            .setBody(constant(Outcome.FULL_OR_NO_CLASS))
                        .end()
                    .endChoice()
                    .otherwise()
                        .setBody(constant(Outcome.FULL_OR_NO_CLASS))
                .end()
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .bean("classViews", "classChanged(${header.classId})")
                        .setBody(method(Status.class, "of('enrolled', ${header.classId})"))
                        .process(reply(201))
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .throwException(ProblemException.conflict("already-enrolled", "you are enrolled in this class"))
                    .otherwise()
                        .bean("waitlists", "join(${header.classId}, ${exchangeProperty.caller.id}, ${exchangeProperty.caller.name})")
                        .setBody(method(Status.class, "waitlisted(${header.classId}, ${body})"))
                        .process(reply(202))
                .end();

        from("direct:drop").routeId("drop-class")
                .process(pathId("classId"))
                .bean("enrollments", "drop(${header.classId}, ${exchangeProperty.caller.id}, ${exchangeProperty.caller.name}, false)")
                .filter(body().isEqualTo(false))
                    .throwException(ProblemException.notFound("not-enrolled", "you are not enrolled in this class"))
                .end()
                .bean("classViews", "classChanged(${header.classId})")
                .to("direct:request-promotion")
                .setBody(method(Status.class, "of('dropped', ${header.classId})"))
                .process(reply(200));

        from("direct:my-waitlist-position").routeId("show-waitlist-position")
                .process(pathId("classId"))
                .bean("classViews", "position(${header.classId}, ${exchangeProperty.caller.id})")
                .to("direct:answer-conditionally");

        from("direct:leave-waitlist").routeId("leave-waitlist")
                .process(pathId("classId"))
                .bean("waitlists", "leave(${header.classId}, ${exchangeProperty.caller.id})")
                .filter(body().isEqualTo(false))
                    .throwException(ProblemException.notFound("not-waitlisted", "you are not on this class's waiting list"))
                .end()
                .setBody(method(Status.class, "of('removed', ${header.classId})"))
                .process(reply(200));
    }
}
