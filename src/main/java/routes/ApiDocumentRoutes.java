package routes;

import static api.Http.reply;

import org.apache.camel.builder.RouteBuilder;

/** The API's OpenAPI document (docs/api.md "Operations"); REST surface: camel/openapi.yaml. */
public class ApiDocumentRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("direct:openapi-document").routeId("publish-openapi-document")
                .bean("openApiDocument", "json")
                .process(reply(200));
    }
}
