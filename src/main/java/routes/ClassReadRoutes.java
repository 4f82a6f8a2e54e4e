package routes;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.ddb.Ddb2Constants;

/**
 * The plain DynamoDB reads of classes and their enrollments that several flows share, as {@code aws2-ddb:}
 * endpoints (JMX and Hawtio show each as an endpoint of its route). They take the class id in header
 * {@code classId} and leave no {@code CamelAwsDdb*} header behind, so a later store call starts clean.
 */
public class ClassReadRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // consistent: a seat decision must see the seat changes that completed before it
        from("direct:find-class").routeId("find-class")
                .setHeader(Ddb2Constants.KEY, method("classes", "rowKey(${header.classId})"))
                .to("aws2-ddb:{{tables.classes}}?operation=GetItem&consistentRead=true").id("get-class-row")
                .bean("classes", "fromRow(${header." + Ddb2Constants.ATTRIBUTES + "})")
                .removeHeaders("CamelAwsDdb*");

        from("direct:get-class").routeId("get-class")
                .to("direct:find-class")
                .bean("classes", "require(${body}, ${header.classId})");

        from("direct:enrolled-in").routeId("query-enrolled-students")
                .setHeader(Ddb2Constants.KEY_CONDITIONS, method("enrollments", "ofClass(${header.classId})"))
                .process(QueryPages.start())
                .loopDoWhile(QueryPages.more())
                    .to("aws2-ddb:{{tables.enrollments}}?operation=Query&consistentRead=true").id("query-enrollment-rows")
                    .process(QueryPages.collect())
                .end()
                .bean("enrollments", "students(${exchangeProperty." + QueryPages.ROWS + "})")
                .removeHeaders("CamelAwsDdb*");
    }
}
