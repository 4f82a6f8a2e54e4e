package routes;

import static routes.Requests.classId;

import enrollment.Classes;
import enrollment.CourseClass;
import enrollment.Enrollments;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.endpoint.EndpointRouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;
import org.apache.camel.component.aws2.ddb.Ddb2Operations;
import org.apache.camel.model.ProcessorDefinition;
import store.Tables;

/**
 * The plain DynamoDB reads of classes, their enrollments and their drops that the flows share, each an aws2-ddb step
 * of its own (its id is what JMX and Hawtio show) on the service's one client. They take the class id in header
 * {@code classId}.
 */
public class ClassReadRoutes extends EndpointRouteBuilder {

    @BeanInject
    private Classes classes;
    @BeanInject
    private Tables tables;

    @Override
    public void configure() {
        // consistently: a seat decision must see the seat changes that completed before it; null when there is none
        from("direct:find-class").routeId("find-class").routeConfigurationId("shared-read")
                .setHeader(Ddb2Constants.KEY).exchange(e -> Classes.key(classId(e)))
                .setHeader(Ddb2Constants.CONSISTENT_READ, constant(true))
                .to(aws2Ddb(tables.classes()).operation(Ddb2Operations.GetItem)).id("get-class-row")
                .setBody(e -> CourseClass.fromNullable(DynamoDbResults.attributes(e)));

        // the class, or 404 class-not-found
        from("direct:get-class").routeId("get-class").routeConfigurationId("shared-read")
                .to("direct:find-class")
                .setBody(e -> classes.require(e.getMessage().getBody(CourseClass.class), classId(e)));

        rowsOfClass("enrolled-in", "query-enrolled-students", tables.enrollments(), "query-enrollment-rows")
                .setBody(e -> Enrollments.students(QueryPages.of(e).items()));
        rowsOfClass("dropped-from", "query-dropped-students", tables.drops(), "query-drop-rows")
                .setBody(e -> Enrollments.drops(QueryPages.of(e).items()));
    }

    /**
     * A route that reads every row of a table keyed by {@code classId} for the class in header {@code classId},
     * consistently, page after page.
     *
     * @return the route so far, its body the {@link QueryPages} read
     */
    private ProcessorDefinition<?> rowsOfClass(String name, String routeId, String table, String step) {
        return QueryPages.readEveryPage(from("direct:" + name).routeId(routeId)
                .setHeader(Ddb2Constants.KEY_CONDITIONS).exchange(e -> Enrollments.ofClass(classId(e)))
                .setHeader(Ddb2Constants.CONSISTENT_READ, constant(true)),
                aws2Ddb(table).operation(Ddb2Operations.Query), step);
    }
}
