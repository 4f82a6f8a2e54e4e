package routes;

import static api.Http.reply;
import static api.Http.utf8Json;
import static routes.Requests.caller;
import static routes.Requests.classId;
import static routes.Requests.course;
import static routes.Requests.dropping;

import enrollment.Answers.Swapped;
import enrollment.Answers.WaitingSwap;
import enrollment.ClassViews;
import enrollment.Enrollments;
import enrollment.Enrollments.Outcome;
import enrollment.SwapRequest;
import enrollment.Waitlists;
import json.Json;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import problem.ProblemException;

/**
 * The flow {@code swap} (docs/api.md "Swaps"; camel/student.yaml): a student drops one class only if the other is
 * taken, as PeopleSoft's swap and Banner's conditional add/drop do. The add is an enroll's ({@code add-class} in
 * routes/StudentRoutes) with the drop counted as done by the registration rules; a free seat is taken and the old one
 * freed in one DynamoDB transaction (enrollment/Enrollments#swap), then the freed seat is promoted as after any drop.
 * A full class puts the student on its list with the swap noted: the flow {@code promote} drops and enrolls in one
 * step when their turn comes (routes/AutoEnrollmentRoutes).
 */
public class SwapRoutes extends RouteBuilder {

    @BeanInject
    private Enrollments enrollments;
    @BeanInject
    private Waitlists waitlists;
    @BeanInject
    private ClassViews classViews;

    @Override
    public void configure() {
        from("direct:swap").routeId("swap")
                .process(utf8Json())
                .unmarshal(Json.format(SwapRequest.class))
                .process(e -> {
                    SwapRequest request = e.getMessage().getBody(SwapRequest.class);
                    e.getMessage().setHeader("classId", request.enrollClassId());
                    e.setProperty(Requests.DROPPING, request.dropClassId());
                })
                .filter(e -> enrollments.find(dropping(e), caller(e).id()) == null)
                    .throwException(notEnrolled())
                .end()
                .to("direct:add-class")
                .choice()
                    .when(body().isEqualTo(Outcome.ENROLLED))
                        .process(e -> classViews.classChanged(dropping(e)))
                        // the seat freed goes to the dropped class's list, as after any drop
                        .setHeader("classId").exchange(Requests::dropping)
                        .to("direct:request-promotion")
                        .setBody(e -> Swapped.of(dropping(e), course(e).id()))
                        .process(reply(200))
                    .when(body().isEqualTo(Outcome.ALREADY_ENROLLED))
                        .throwException(StudentRoutes.alreadyEnrolled())
                    .when(body().isEqualTo(Outcome.NOT_ENROLLED))  // dropped by another request meanwhile
                        .throwException(notEnrolled())
                    .otherwise()
                        .setBody(e -> WaitingSwap.of(classId(e),
                                waitlists.join(classId(e), caller(e).id(), caller(e).name(), dropping(e)),
                                dropping(e)))
                        .process(reply(202))
                .end();
    }

    private static ProblemException notEnrolled() {
        return ProblemException.notFound("not-enrolled", "you are not enrolled in the class to drop");
    }
}
