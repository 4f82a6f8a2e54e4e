package routes;

import static api.Http.pathId;
import static api.Http.readText;
import static api.Http.reply;
import static api.Http.utf8Json;
import static routes.Requests.caller;
import static routes.Requests.classId;
import static routes.Requests.id;

import auth.Users;
import enrollment.CompletedCourseImport;
import enrollment.CompletedCourses;
import enrollment.Permits;
import enrollment.Permits.GrantedPermit;
import enrollment.Permits.MaxCredits;
import enrollment.Permits.PermitRequest;
import enrollment.RowImport;
import enrollment.StudentRecord;
import java.util.List;
import java.util.Set;
import json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/**
 * What the registrar keeps of a student beyond windows and holds (docs/api.md "Registrar", "Registration rules"): the
 * completed courses (imported, listed, removed), the student's own credit maximum, permits (the registrar's, and the
 * instructor's for their own classes), all in camel/registrar.yaml and camel/instructor.yaml; and the two steps every
 * registrar flow on a student passes: {@code check-student} (the student of the path) and
 * {@code check-imported-students} (the students of an import's rows). Each REST operation sends to the flow of the
 * same name.
 */
public class StudentRecordRoutes extends RouteBuilder {

    @BeanInject
    private Users users;
    @BeanInject
    private CompletedCourseImport completedCourseImport;
    @BeanInject
    private CompletedCourses completedCourses;
    @BeanInject
    private Permits permits;

    @Override
    @SuppressWarnings("unchecked")
    public void configure() {
        // the student of the path, in header studentId, must exist: 404 student-not-found (400 for a bad id)
        from("direct:check-student").routeId("check-student")
                .process(pathId("studentId"))
                .process(e -> users.requireStudent(id(e, "studentId"))).id("get-student-row");

        // the body, an import's rows (RowImport.Rows), becomes its good rows, or the file is refused whole (400) when
        // a row was bad or names a student who does not exist
        from("direct:check-imported-students").routeId("check-imported-students")
                .setProperty("students").exchange(e -> users.studentsAmong(rows(e).studentIds())).id("get-student-rows")
                .setBody(e -> rows(e).requireStudents(e.getProperty("students", Set.class)));

        // validated whole before anything is written: one bad row and nothing is stored
        from("direct:import-completed-courses").routeId("import-completed-courses")
                .process(readText())
                .setBody(e -> completedCourseImport.read(e.getMessage().getBody(String.class),
                        e.getMessage().getHeader("Content-Type", String.class)))
                .to("direct:check-imported-students")
                .setBody(e -> completedCourses.importAll(e.getMessage().getBody(List.class)))
                .process(reply(200));

        from("direct:list-completed-courses").routeId("list-completed-courses")
                .to("direct:check-student")
                .setBody(e -> completedCourses.of(id(e, "studentId")))
                .process(reply(200));

        from("direct:remove-completed-course").routeId("remove-completed-course")
                .to("direct:check-student")
                .setBody(e -> completedCourses.remove(id(e, "studentId"),
                        e.getMessage().getHeader("courseCode", String.class)))
                .process(reply(200));

        from("direct:set-max-credits").routeId("set-max-credits")
                .to("direct:check-student")
                .process(utf8Json())
                .unmarshal(Json.format(MaxCredits.class))
                .setBody(e -> permits.setMaxCredits(id(e, "studentId"), e.getMessage().getBody(MaxCredits.class)))
                .process(reply(200));

        from("direct:reset-max-credits").routeId("reset-max-credits")
                .to("direct:check-student")
                .setBody(e -> permits.resetMaxCredits(id(e, "studentId")))
                .process(reply(200));

        from("direct:grant-permit").routeId("grant-permit")
                .to("direct:check-student")
                .process(pathId("classId"))
                .process(utf8Json())
                .unmarshal(Json.format(PermitRequest.class))
                .setProperty("request", body())
                .to("direct:get-class")
                .to("direct:put-permit");

        // an instructor grants only the prerequisite check, and only for their own classes (403 otherwise); the
        // body is read first, as check-own-class leaves the class in it
        from("direct:grant-prerequisite-permit").routeId("grant-prerequisite-permit")
                .process(utf8Json())
                .unmarshal(Json.format(PermitRequest.class))
                .setProperty("request", body())
                .to("direct:check-own-class")
                .to("direct:check-student")
                .filter(e -> !request(e).overrides().equals(List.of(StudentRecord.PREREQUISITE)))
                    .throwException(ProblemException.forbidden("an instructor's permit overrides only the "
                            + "prerequisite check"))
                .end()
                .to("direct:put-permit");

        // the permit of the request (property request) for the student and class of the path, granted by the
        // caller: 201 when it is new, 200 when it replaced the student's permit for that class
        from("direct:put-permit").routeId("put-permit")
                .setProperty("granted").exchange(e -> permits.grant(id(e, "studentId"), classId(e),
                        request(e).overrides(), caller(e).id())).id("put-permit-row")
                .setBody(e -> e.getProperty("granted", GrantedPermit.class).permit())
                .choice()
                    .when(e -> e.getProperty("granted", GrantedPermit.class).replaced())
                        .process(reply(200))
                    .otherwise()
                        .process(reply(201))
                .end();

        from("direct:list-permits").routeId("list-permits")
                .to("direct:check-student")
                .setBody(e -> permits.of(id(e, "studentId")))
                .process(reply(200));

        from("direct:revoke-permit").routeId("revoke-permit")
                .to("direct:check-student")
                .process(pathId("classId"))
                .setBody(e -> permits.revoke(id(e, "studentId"), classId(e)))
                .process(reply(200));
    }

    private static PermitRequest request(Exchange exchange) {
        return exchange.getProperty("request", PermitRequest.class);
    }

    private static RowImport.Rows<?> rows(Exchange exchange) {
        return exchange.getMessage().getBody(RowImport.Rows.class);
    }
}
