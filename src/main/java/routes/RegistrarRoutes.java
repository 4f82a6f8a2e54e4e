package routes;

import static api.Http.pathId;
import static api.Http.reply;
import static api.Http.utf8Json;
import static routes.Requests.classId;

import auth.Users;
import enrollment.Answers.Status;
import enrollment.AutoEnrollment;
import enrollment.Catalog;
import enrollment.ClassChanges;
import enrollment.ClassValidators;
import enrollment.ClassViews;
import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import enrollment.NewClass;
import enrollment.Offers;
import enrollment.Registrations;
import enrollment.Waitlists;
import event.Events;
import java.util.List;
import java.util.stream.Stream;
import json.Json;
import notify.Subscriptions;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import store.Counters;
import store.Tables;

/**
 * What the registrar does with sections and the auto-enrollment switch (docs/api.md "Registrar"); the REST
 * surface is camel/registrar.yaml, each operation sending to the flow of the same name.
 */
public class RegistrarRoutes extends EndpointRouteBuilder {

    @BeanInject
    private Users users;
    @BeanInject
    private Tables tables;
    @BeanInject
    private Catalog catalog;
    @BeanInject
    private Classes classes;
    @BeanInject
    private ClassViews classViews;
    @BeanInject
    private ClassValidators validators;
    @BeanInject
    private Counters counters;
    @BeanInject
    private Enrollments enrollments;
    @BeanInject
    private Waitlists waitlists;
    @BeanInject
    private Offers offers;
    @BeanInject
    private Subscriptions subscriptions;
    @BeanInject
    private Registrations registrations;

    @Override
    @SuppressWarnings("unchecked")
    public void configure() {
        from("direct:create-class").routeId("create-class")
                .process(utf8Json())
                .unmarshal(Json.format(NewClass.class))
                .to("direct:check-instructor")
                .setBody(e -> classes.create(counters.next("class"), e.getMessage().getBody(NewClass.class)))
                .process(e -> classViews.classChanged(e.getMessage().getBody(CourseClass.class).id()))
                .setHeader("Location").exchange(e -> "/registrar/classes/" + e.getMessage().getBody(CourseClass.class).id())
                .process(validators::tag)
                .process(reply(201));

        // the class request's instructorId must name an Instructor (400 otherwise); the body stays the request
        from("direct:check-instructor").routeId("check-instructor")
                .process(e -> users.requireInstructor(instructorNamed(e.getMessage().getBody())))
                    .id("get-instructor-row");

        from("direct:show-class").routeId("show-class")
                .process(pathId("classId"))
                .setBody(e -> classViews.registrarView(classId(e)))
                .to("direct:answer-conditionally");

        from("direct:change-class").routeId("change-class")
                .process(pathId("classId"))
                .process(utf8Json())
                .unmarshal(Json.format(ClassChanges.class))
                .setProperty("changes", body())
                .filter(e -> e.getMessage().getBody(ClassChanges.class).instructorId() != null)
                    .to("direct:check-instructor")
                .end()
                .setBody(e -> classes.change(classId(e), e.getMessage().getBody(ClassChanges.class), expectedVersion(e)))
                .process(e -> classViews.classChanged(classId(e)))
                // the registration rules check against the copies on the schedules: they must say what the class does
                .filter(e -> e.getProperty("changes", ClassChanges.class).reschedules())
                    .setVariable("changed", body())
                    .to("direct:enrolled-in")
                    .process(e -> registrations.rescheduled(e.getVariable("changed", CourseClass.class),
                            holders(classId(e), enrolled(e))))
                        .id("rewrite-schedule-copies")
                .end()
                .to("direct:request-promotion")
                .setBody(e -> catalog.get(classId(e)))
                .process(validators::tag)
                .process(reply(200));

        from("direct:remove-class").routeId("remove-class")
                .process(pathId("classId"))
                .setHeader("expectedVersion").exchange(this::expectedVersion)
                .setBody(e -> catalog.get(classId(e)))
                .setProperty("events").exchange(e -> Events.classRemoved(
                        subscriptions.subscribersOf(classId(e)), classId(e), e.getMessage().getBody(CourseClass.class).title()))
                .process(e -> classes.remove(e.getMessage().getBody(CourseClass.class),
                        e.getMessage().getHeader("expectedVersion", Long.class), e.getProperty("events", List.class)))
                .process(e -> classViews.classChanged(classId(e)))
                .to("direct:enrolled-in")
                .split(body())
                    .process(e -> enrollments.dropFromRemovedClass(classId(e),
                            e.getMessage().getBody(Enrollments.Student.class)))
                .end()
                .process(e -> waitlists.clear(classId(e)))
                // held seats of a class that is gone: the holders are told as the waiting students are, by the
                // class-removed event to those subscribed
                .setBody(e -> offers.allOf(classId(e)))
                .split(body())
                    .process(e -> offers.withdraw(e.getMessage().getBody(Offers.Offer.class)))
                .end()
                .setBody(exchangeProperty("events"))
                .wireTap("direct:publish-events")
                .setBody(e -> Status.of("removed", classId(e)))
                .process(reply(200));

        from("direct:switch-auto-enrollment").routeId("switch-auto-enrollment")
                .process(utf8Json())
                .unmarshal(Json.format(AutoEnrollment.Switch.class))
                .setHeader(Ddb2Constants.ITEM).exchange(e -> AutoEnrollment.item(e.getMessage().getBody(AutoEnrollment.Switch.class)))
                .to(aws2Ddb(tables.settings()).operation(Ddb2Operations.PutItem)).id("put-auto-enrollment-row")
                .filter(e -> e.getMessage().getBody(AutoEnrollment.Switch.class).enabled())
                    .to("direct:request-every-waiting-class")
                .end()
                .to("direct:read-auto-enrollment")
                .process(reply(200));
    }

    /** The instructor a class request names: a new class's, or a change's (routed here only when it names one). */
    private static long instructorNamed(Object request) {
        return request instanceof NewClass created ? created.instructorId() : ((ClassChanges) request).instructorId();
    }

    /**
     * @param classId a class
     * @param enrolled the students enrolled in it
     * @return the students whose schedules hold it: those enrolled and those holding an offer (lapsed ones not yet
     *         swept included), each once
     */
    private List<Long> holders(long classId, List<Enrollments.Student> enrolled) {
        return Stream.concat(enrolled.stream().map(Enrollments.Student::id),
                offers.allOf(classId).stream().map(Offers.Offer::studentId)).distinct().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Enrollments.Student> enrolled(org.apache.camel.Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    /** The version the request's {@code If-Match} names (null without one); 412 when it is not current. */
    private Long expectedVersion(org.apache.camel.Exchange exchange) {
        return validators.expectedVersion(classId(exchange), exchange.getMessage().getHeader("If-Match", String.class));
    }
}
