package routes;

import static api.Http.readJson;
import static api.Http.pathId;
import static api.Http.reply;

import auth.Users;
import enrollment.AutoEnrollment;
import enrollment.ClassChanges;
import enrollment.NewClass;
import enrollment.Answers.Status;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/** What the registrar does with sections and the auto-enrollment switch (docs/api.md "Registrar"); camel/registrar.yaml. */
public class RegistrarRoutes extends RouteBuilder {

    @BeanInject
    private Users users;
    @BeanInject
    private AutoEnrollment autoEnrollment;

    @Override
    public void configure() {
        from("direct:add-class").routeId("add-class")
                .process(readJson(NewClass.class))
                .to("direct:check-instructor")
                .bean("classes", "create(${bean:counters?method=next('class')}, ${body})")
                .bean("classViews", "classChanged(${body.id})")
                .setHeader("Location", simple("/registrar/classes/${body.id}"))
                .bean("validators", "tag")
                .process(reply(201));

        // the class request's instructorId must name an Instructor (400 otherwise); the body stays the request
        from("direct:check-instructor").routeId("check-instructor")
                .process(e -> users.requireInstructor(instructorNamed(e.getMessage().getBody())))
                    .id("get-instructor-row");

        from("direct:show-class").routeId("show-class")
                .process(pathId("classId"))
                .bean("classViews", "registrarView(${header.classId})")
                .to("direct:answer-conditionally");

        from("direct:change-class").routeId("change-class")
                .process(pathId("classId"))
                .process(readJson(ClassChanges.class))
                .filter(simple("${body.instructorId} != null"))
                    .to("direct:check-instructor")
                .end()
                .setHeader("expectedVersion", method("validators", "expectedVersion"))
                .bean("classes", "change(${header.classId}, ${body}, ${header.expectedVersion})")
                .bean("classViews", "classChanged(${header.classId})")
                .to("direct:request-promotion")
                .bean("catalog", "get(${header.classId})")
                .bean("validators", "tag")
                .process(reply(200));

        from("direct:remove-class").routeId("remove-class")
                .process(pathId("classId"))
                .setHeader("expectedVersion", method("validators", "expectedVersion"))
                .bean("catalog", "get(${header.classId})")
                .setProperty("events", method("events", "classRemoved(${body})"))
                .bean("classes", "remove(${body}, ${header.expectedVersion}, ${exchangeProperty.events})")
                .bean("classViews", "classChanged(${header.classId})")
                .to("direct:enrolled-in")
                .split(body())
                    .bean("enrollments", "dropFromRemovedClass(${header.classId}, ${body})")
                .end()
                .bean("waitlists", "clear(${header.classId})")
                // held seats of a class that is gone: the holders are told as the waiting students are, by the
                // class-removed event to those subscribed
                .split(method("offers", "allOf(${header.classId})"))
                    .bean("offers", "withdraw")
                .end()
                .setBody(exchangeProperty("events"))
                .wireTap("direct:publish-events")
                .setBody(method(Status.class, "of('removed', ${header.classId})"))
                .process(reply(200));

        from("direct:switch-auto-enrollment").routeId("switch-auto-enrollment")
                .process(readJson(AutoEnrollment.Switch.class))
                .setBody(e -> autoEnrollment.write(e.getMessage().getBody(AutoEnrollment.Switch.class)))
                    .id("put-auto-enrollment-row")
                .filter(simple("${body.enabled}"))
                    .to("direct:request-every-waiting-class")
                .end()
                .to("direct:read-auto-enrollment")
                .process(reply(200));
    }

    /** The instructor a class request names: a new class's, or a change's (routed here only when it names one). */
    private static long instructorNamed(Object request) {
        return request instanceof NewClass created ? created.instructorId() : ((ClassChanges) request).instructorId();
    }
}
