package routes;

import static api.Http.readText;
import static api.Http.reply;
import static api.Http.utf8Json;
import static routes.Requests.caller;
import static routes.Requests.course;
import static routes.Requests.dropping;
import static routes.Requests.id;
import static routes.Requests.record;

import enrollment.RegistrationRules;
import enrollment.RegistrationStatus;
import enrollment.RegistrationWindow;
import enrollment.Registrations;
import enrollment.Registrations.HoldRequest;
import enrollment.Registrations.Holds;
import enrollment.Registrations.PlacedHold;
import enrollment.StudentRecord;
import enrollment.Waitlists;
import enrollment.WindowImport;
import java.util.List;
import java.util.Map;
import json.Json;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.apache.camel.component.redis.Command;
import org.apache.camel.component.redis.RedisConstants;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import store.RedisKeys;
import store.Tables;

/**
 * Registration windows and holds (docs/api.md "Registration windows and holds"): the registrar imports windows, sets
 * the default one and places and lifts holds (camel/registrar.yaml); a student reads their own registration
 * (camel/student.yaml); and every request that would take a seat, a waiting place or an offer first passes
 * {@code check-registration} (window and holds) and then {@code check-registration-rules} (docs/api.md "Registration
 * rules"). The registrar's flows on a student pass {@code check-student} first, the import
 * {@code check-imported-students} (routes/StudentRecordRoutes). Each REST operation sends to the flow of the same
 * name.
 */
public class RegistrationRoutes extends EndpointRouteBuilder {

    @BeanInject
    private Registrations registrations;
    @BeanInject
    private WindowImport windowImport;
    @BeanInject
    private Waitlists waitlists;
    @BeanInject
    private RedisKeys redisKeys;
    @BeanInject
    private Tables tables;

    @Override
    @SuppressWarnings("unchecked")
    public void configure() {
        // validated whole before anything is written: one bad row and nothing is stored
        from("direct:import-registration-windows").routeId("import-registration-windows")
                .process(readText())
                .setBody(e -> windowImport.read(e.getMessage().getBody(String.class),
                        e.getMessage().getHeader("Content-Type", String.class)))
                .to("direct:check-imported-students")
                .setBody(e -> registrations.importWindows(e.getMessage().getBody(List.class)))
                .process(reply(200));

        from("direct:set-default-registration-window").routeId("set-default-registration-window")
                .process(utf8Json())
                .unmarshal(Json.format(RegistrationWindow.DefaultWindowRequest.class))
                .setBody(e -> registrations.setDefaultWindow(
                        e.getMessage().getBody(RegistrationWindow.DefaultWindowRequest.class).window()))
                .process(reply(200));

        from("direct:show-my-registration").routeId("show-my-registration")
                .setBody(e -> caller(e).id())
                .to("direct:read-record-of")
                .setBody(e -> registration(e.getMessage().getBody(StudentRecord.class)).forStudent())
                .process(reply(200));

        from("direct:show-student-registration").routeId("show-student-registration")
                .to("direct:check-student")
                .setBody(e -> id(e, "studentId"))
                .to("direct:read-record-of")
                .setBody(e -> registration(e.getMessage().getBody(StudentRecord.class)))
                .process(reply(200));

        from("direct:list-student-holds").routeId("list-student-holds")
                .to("direct:check-student")
                .setBody(e -> id(e, "studentId"))
                .to("direct:read-record-of")
                .setBody(e -> holds(e.getMessage().getBody(StudentRecord.class)))
                .process(reply(200));

        from("direct:place-hold").routeId("place-hold")
                .to("direct:check-student")
                .process(utf8Json())
                .unmarshal(Json.format(HoldRequest.class))
                .setProperty("placed").exchange(e -> registrations.placeHold(id(e, "studentId"),
                        e.getMessage().getHeader("code", String.class), e.getMessage().getBody(HoldRequest.class)))
                // a copy beside the waiting lists of what the hold rows say: begin-promotion.lua passes them over
                .setHeader(RedisConstants.KEY, constant(redisKeys.heldStudents()))
                .setHeader(RedisConstants.VALUE).exchange(e -> Long.toString(id(e, "studentId")))
                .to(springRedis("{{redis.address}}").command(Command.SADD)).id("mark-student-held")
                .setBody(e -> e.getProperty("placed", PlacedHold.class).hold())
                .choice()
                    .when(e -> e.getProperty("placed", PlacedHold.class).replaced())
                        .process(reply(200))
                    .otherwise()
                        .process(reply(201))
                .end();

        // the last hold lifted: the classes the student waits for fill their free seats, as unfreezing does
        from("direct:lift-hold").routeId("lift-hold")
                .to("direct:check-student")
                .process(e -> registrations.liftHold(id(e, "studentId"), e.getMessage().getHeader("code", String.class)))
                .setBody(e -> id(e, "studentId"))
                .to("direct:read-record-of")
                .setProperty("holds").exchange(e -> holds(e.getMessage().getBody(StudentRecord.class)))
                .filter(e -> e.getProperty("holds", Holds.class).holds().isEmpty())
                    .setHeader(RedisConstants.KEY, constant(redisKeys.heldStudents()))
                    .setHeader(RedisConstants.VALUE).exchange(e -> Long.toString(id(e, "studentId")))
                    .to(springRedis("{{redis.address}}").command(Command.SREM)).id("unmark-student-held")
                    .setBody(e -> waitlists.classesOf(id(e, "studentId")))
                    .split(body())
                        .setHeader("classId", body())
                        .to("direct:request-promotion")
                    .end()
                .end()
                .setBody(exchangeProperty("holds"))
                .process(reply(200));

        // the caller's record, for the checks of an add (its body is the record)
        from("direct:read-student-record").routeId("read-student-record")
                .setBody(e -> caller(e).id())
                .to("direct:read-record-of")
                .setProperty(Requests.RECORD, body());

        // The record of the student whose id is the body, as the body: one consistent Query of their partition of
        // the registration table (every page), then the default window when they have none of their own.
        QueryPages.readEveryPage(from("direct:read-record-of").routeId("read-record-of")
                        .routeConfigurationId("shared-read")
                        .setVariable("studentId", body())
                        .setHeader(Ddb2Constants.KEY_CONDITIONS)
                        .exchange(e -> Registrations.partitionOf(e.getVariable("studentId", Long.class)))
                        .setHeader(Ddb2Constants.CONSISTENT_READ, constant(true)),
                        aws2Ddb(tables.registration()).operation(Ddb2Operations.Query), "query-student-rows")
                .setVariable("rows").exchange(e -> QueryPages.of(e).items())
                // an earlier GetItem of the exchange (the class read) left its item here
                .removeHeader(Ddb2Constants.ATTRIBUTES)
                .filter(e -> !Registrations.hasOwnWindow(rows(e)))
                    .setHeader(Ddb2Constants.KEY, constant(Registrations.DEFAULT_WINDOW_KEY))
                    .to(aws2Ddb(tables.settings()).operation(Ddb2Operations.GetItem)).id("get-default-window-row")
                .end()
                .setBody(e -> registrations.record(e.getVariable("studentId", Long.class), rows(e),
                        DynamoDbResults.attributes(e)));

        // the window and holds (403), before anything else of an add
        from("direct:check-registration").routeId("check-registration")
                .to("direct:read-student-record")
                .process(e -> RegistrationStatus.requireMayEnroll(record(e).registration()));

        // docs/api.md "Registration rules": the class read into the exchange, against the record read, a swap's drop
        // counted as done; the seat transaction that follows conditions on the schedule's version read here
        from("direct:check-registration-rules").routeId("check-registration-rules")
                .process(e -> RegistrationRules.require(record(e), course(e), dropping(e)));
    }

    /** @return the student's registration as the registrar reads it */
    private static RegistrationStatus registration(StudentRecord record) {
        return record.registration();
    }

    private static Holds holds(StudentRecord record) {
        return new Holds(record.registration().holds());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, AttributeValue>> rows(Exchange exchange) {
        return exchange.getVariable("rows", List.class);
    }
}
