package routes;

import static routes.Requests.classId;

import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The plain DynamoDB reads of classes, their enrollments and their drops that the flows share, each a step of its
 * own (its id is what JMX and Hawtio show) that calls the table's gateway. They take the class id in header
 * {@code classId}.
 */
public class ClassReadRoutes extends RouteBuilder {

    @BeanInject
    private Classes classes;
    @BeanInject
    private Enrollments enrollments;

    @Override
    public void configure() {
        from("direct:find-class").routeId("find-class")
                .setBody(e -> classes.find(classId(e)).orElse(null)).id("get-class-row");

        // the class, or 404 class-not-found
        from("direct:get-class").routeId("get-class")
                .to("direct:find-class")
                .setBody(e -> classes.require(e.getMessage().getBody(CourseClass.class), classId(e)));

        from("direct:enrolled-in").routeId("query-enrolled-students")
                .setBody(e -> enrollments.studentsOf(classId(e))).id("query-enrollment-rows");
        from("direct:dropped-from").routeId("query-dropped-students")
                .setBody(e -> enrollments.droppedFrom(classId(e))).id("query-drop-rows");
    }
}
