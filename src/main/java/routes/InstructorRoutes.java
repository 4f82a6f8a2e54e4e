package routes;

import static api.Http.notModified;
import static api.Http.pathId;
import static api.Http.reply;

import api.Conditional;
import enrollment.Answers.Status;
import enrollment.ClassViews.View;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/** What an instructor does with their own classes (API.md "Instructor"); REST surface: camel/instructor.yaml. */
public class InstructorRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:my-classes").routeId("list-taught-classes")
                .bean("catalog", "taughtBy(${exchangeProperty.caller.id})")
                .process(reply(200));

        from("direct:own-class").routeId("check-own-class")
                .process(pathId("classId"))
                .bean("catalog", "get(${header.classId})")
                .filter(simple("${body.instructorId} != ${exchangeProperty.caller.id}"))
                    .throwException(ProblemException.forbidden("this class is not yours"))
                .end();

        from("direct:enrolled-students").routeId("list-enrolled-students")
                .to("direct:own-class")
                .to("direct:enrolled-in")
                .bean("rosters", "enrolled")
                .process(reply(200));

        from("direct:dropped-students").routeId("list-dropped-students")
                .to("direct:own-class")
                .to("direct:dropped-from")
                .bean("rosters", "dropped")
                .process(reply(200));

        // conditional: the owner and the list's validators come from Redis, so a 304 reads nothing else
        from("direct:waiting-students").routeId("list-waiting-students")
                .process(pathId("classId"))
                .filter(simple("${bean:classViews?method=owner(${header.classId})} != ${exchangeProperty.caller.id}"))
                    .throwException(ProblemException.forbidden("this class is not yours"))
                .end()
                .bean("classViews", "waitlistValidators(${header.classId})")
                .process(exchange -> Conditional.evaluate(exchange, exchange.getMessage().getBody(View.class)))
                .choice()
                    .when(exchangeProperty(Conditional.NOT_MODIFIED).isEqualTo(true))
                        .process(notModified())
                    .otherwise()
                        .bean("rosters", "waiting(${header.classId})")
                        .process(reply(200))
                .end();

        from("direct:administrative-drop").routeId("drop-student-administratively")
                .to("direct:own-class")
                .setProperty("course", body())
                .process(pathId("studentId"))
                .bean("enrollments", "find(${header.classId}, ${header.studentId})")
                .filter(body().isNull())
                    .throwException(ProblemException.notFound("not-enrolled", "that student is not enrolled in this class"))
                .end()
                .setProperty("event", method("events", "dropped(${body}, ${exchangeProperty.course})"))
                .bean("enrollments", "drop(${header.classId}, ${header.studentId}, ${body.name}, true, ${exchangeProperty.event})")
                .filter(body().isEqualTo(false))
                    .throwException(ProblemException.notFound("not-enrolled", "that student is not enrolled in this class"))
                .end()
                .bean("classViews", "classChanged(${header.classId})")
                .setBody(exchangeProperty("event"))
                .wireTap("direct:publish-event")
                .to("direct:request-promotion")
                .setBody(method(Status.class, "of('dropped', ${header.classId})"))
                .process(reply(200));
    }
}
