package routes;

import static api.Http.pathId;
import static api.Http.readJson;
import static api.Http.readText;
import static api.Http.reply;

import enrollment.RegistrationStatus;
import enrollment.RegistrationWindow;
import enrollment.Registrations.HoldRequest;
import enrollment.Waitlists;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Registration windows and holds (docs/api.md "Registration windows and holds"): the registrar imports windows, sets
 * the default one and places and lifts holds (camel/registrar.yaml); a student reads their own registration
 * (camel/student.yaml); and every request that would take a seat, a waiting place or an offer first passes
 * {@code check-registration}.
 */
public class RegistrationRoutes extends RouteBuilder {

    @BeanInject
    private Waitlists waitlists;

    @Override
    public void configure() {
        // validated whole before anything is written: one bad row and nothing is stored
        from("direct:import-windows").routeId("import-registration-windows")
                .process(readText())
                .bean("windowImport", "read(${body}, ${header.Content-Type})")
                .bean("registrations", "importWindows")
                .process(reply(200));

        from("direct:set-default-window").routeId("set-default-registration-window")
                .process(readJson(RegistrationWindow.DefaultWindowRequest.class))
                .bean("registrations", "setDefaultWindow(${body.window()})")
                .process(reply(200));

        from("direct:my-registration").routeId("show-my-registration")
                .bean("registrations", "of(${exchangeProperty.caller.id})")
                .setBody(simple("${body.forStudent()}"))
                .process(reply(200));

        from("direct:student-registration").routeId("show-student-registration")
                .process(pathId("studentId"))
                .bean("registrations", "of(${header.studentId})")
                .process(reply(200));

        from("direct:student-holds").routeId("list-student-holds")
                .process(pathId("studentId"))
                .bean("registrations", "holdsOf(${header.studentId})")
                .process(reply(200));

        from("direct:place-hold").routeId("place-hold")
                .process(pathId("studentId"))
                .process(readJson(HoldRequest.class))
                .bean("registrations", "placeHold(${header.studentId}, ${header.code}, ${body})")
                .setProperty("placed", body())
                .process(e -> waitlists.markHeld(e.getMessage().getHeader("studentId", Long.class)))
                    .id("mark-student-held")
                .setBody(exchangeProperty("placed"))
                .choice()
                    .when(simple("${body.replaced}"))
                        .setBody(simple("${body.hold}"))
                        .process(reply(200))
                    .otherwise()
                        .setBody(simple("${body.hold}"))
                        .process(reply(201))
                .end();

        // the last hold lifted: the classes the student waits for fill their free seats, as unfreezing does
        from("direct:lift-hold").routeId("lift-hold")
                .process(pathId("studentId"))
                .bean("registrations", "liftHold(${header.studentId}, ${header.code})")
                .setProperty("holds", body())
                .filter(simple("${body.holds.isEmpty()}"))
                    .process(e -> waitlists.unmarkHeld(e.getMessage().getHeader("studentId", Long.class)))
                        .id("unmark-student-held")
                    .split(method("waitlists", "classesOf(${header.studentId})"))
                        .setHeader("classId", body())
                        .to("direct:request-promotion")
                    .end()
                .end()
                .setBody(exchangeProperty("holds"))
                .process(reply(200));

        from("direct:check-registration").routeId("check-registration")
                .setProperty("registration", method("registrations", "of(${exchangeProperty.caller.id})"))
                .bean(RegistrationStatus.class, "requireMayEnroll(${exchangeProperty.registration})");
    }

}
