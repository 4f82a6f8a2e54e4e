package routes;

import static api.Http.notModified;
import static api.Http.pathId;
import static api.Http.reply;
import static routes.Requests.caller;
import static routes.Requests.classId;
import static routes.Requests.id;

import api.Conditional;
import enrollment.Answers.Status;
import enrollment.Catalog;
import enrollment.ClassViews;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.Rosters;
import event.Event;
import event.Events;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/**
 * What an instructor does with their own classes (docs/api.md "Instructor"); the REST surface is
 * camel/instructor.yaml, each operation sending to the flow of the same name.
 */
public class InstructorRoutes extends RouteBuilder {

    @BeanInject
    Catalog catalog;
    @BeanInject
    ClassViews classViews;
    @BeanInject
    Enrollments enrollments;
    @BeanInject
    Rosters rosters;

    @Override
    @SuppressWarnings("unchecked")
    public void configure() {
        from("direct:list-taught-classes").routeId("list-taught-classes")
                .setBody(e -> catalog.taughtBy(caller(e).id()))
                .process(reply(200));

        // the class of the path, in the body, when it is the caller's (404 when there is none, 403 when not theirs)
        from("direct:check-own-class").routeId("check-own-class")
                .process(pathId("classId"))
                .setBody(e -> catalog.get(classId(e)))
                .filter(e -> e.getMessage().getBody(CourseClass.class).instructorId() != caller(e).id())
                    .throwException(ProblemException.forbidden("this class is not yours"))
                .end();

        from("direct:list-enrolled-students").routeId("list-enrolled-students")
                .to("direct:check-own-class")
                .to("direct:enrolled-in")
                .setBody(e -> rosters.enrolled(e.getMessage().getBody(List.class)))
                .process(reply(200));

        from("direct:list-dropped-students").routeId("list-dropped-students")
                .to("direct:check-own-class")
                .to("direct:dropped-from")
                .setBody(e -> rosters.dropped(e.getMessage().getBody(List.class)))
                .process(reply(200));

        // conditional: the owner and the list's validators come from Redis, so a 304 reads nothing else
        from("direct:list-waiting-students").routeId("list-waiting-students")
                .process(pathId("classId"))
                .filter(e -> classViews.owner(classId(e)) != caller(e).id())
                    .throwException(ProblemException.forbidden("this class is not yours"))
                .end()
                .process(e -> Conditional.evaluate(e, classViews.waitlistValidators(classId(e))))
                .choice()
                    .when(exchangeProperty(Conditional.NOT_MODIFIED).isEqualTo(true))
                        .process(notModified())
                    .otherwise()
                        .setBody(e -> rosters.waiting(classId(e)))
                        .process(reply(200))
                .end();

        // an administrative drop: recorded as such on the dropped list, and the student is told (the event)
        from("direct:drop-student").routeId("drop-student")
                .to("direct:check-own-class")
                .setProperty("course", body())
                .process(pathId("studentId"))
                .setBody(e -> enrollments.find(classId(e), id(e, "studentId")))
                .filter(body().isNull())
                    .throwException(ProblemException.notFound("not-enrolled", "that student is not enrolled in this class"))
                .end()
                .setProperty("event").exchange(e -> Events.dropped(id(e, "studentId"),
                        e.getMessage().getBody(Enrollments.Student.class).name(), classId(e),
                        e.getProperty("course", CourseClass.class).title()))
                .filter(e -> !enrollments.drop(classId(e), id(e, "studentId"),
                        e.getMessage().getBody(Enrollments.Student.class).name(), true,
                        e.getProperty("event", Event.class)))
                    .throwException(ProblemException.notFound("not-enrolled", "that student is not enrolled in this class"))
                .end()
                .process(e -> classViews.classChanged(classId(e)))
                .setBody(exchangeProperty("event"))
                .wireTap("direct:publish-event")
                .to("direct:request-promotion")
                .setBody(e -> Status.of("dropped", classId(e)))
                .process(reply(200));
    }
}
