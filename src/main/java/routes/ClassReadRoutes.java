package routes;

import static routes.Requests.classId;

import enrollment.Classes;
import enrollment.CourseClass;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;

/**
 * The plain DynamoDB reads of classes, their enrollments and their drops that the flows share, as {@code aws2-ddb:}
 * endpoints (JMX and Hawtio show each as an endpoint of its route). They take the class id in header
 * {@code classId} and leave no {@code CamelAwsDdb*} header behind, so a later store call starts clean.
 */
public class ClassReadRoutes extends RouteBuilder {

    @BeanInject
    Classes classes;

    @Override
    public void configure() {
        // consistent: a seat decision must see the seat changes that completed before it
        StoreReads.getItem(from("direct:find-class").routeId("find-class"),
                method("classes", "rowKey(${header.classId})"),
                "aws2-ddb:{{tables.classes}}?operation=GetItem&consistentRead=true", "get-class-row",
                "classes", "fromRow(" + StoreReads.ROW + ")");

        // the class, or 404 class-not-found
        from("direct:get-class").routeId("get-class")
                .to("direct:find-class")
                .setBody(e -> classes.require(e.getMessage().getBody(CourseClass.class), classId(e)));

        queryRowsOfClass("direct:enrolled-in", "query-enrolled-students", "tables.enrollments",
                "query-enrollment-rows", "students");
        queryRowsOfClass("direct:dropped-from", "query-dropped-students", "tables.drops", "query-drop-rows", "dropped");
    }

    /**
     * A route that reads every row of the class in a table keyed by {@code classId}, page after page,
     * and turns them into a list with the {@code enrollments} bean's method {@code toList}.
     */
    private void queryRowsOfClass(String from, String routeId, String table, String stepId, String toList) {
        from(from).routeId(routeId)
                .setHeader(Ddb2Constants.KEY_CONDITIONS, method("enrollments", "ofClass(${header.classId})"))
                .process(QueryPages.start())
                .loopDoWhile(QueryPages.more())
                    .to("aws2-ddb:{{" + table + "}}?operation=Query&consistentRead=true").id(stepId)
                    .process(QueryPages.collect())
                .end()
                .bean("enrollments", toList + "(${exchangeProperty." + QueryPages.ROWS + "})")
                .removeHeaders("CamelAwsDdb*");
    }
}
