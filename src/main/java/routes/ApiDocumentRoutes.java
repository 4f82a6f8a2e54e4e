package routes;

import static api.Http.reply;

import api.OpenApiDocument;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/** The API's OpenAPI document (docs/api.md "Operations"); REST surface: camel/openapi.yaml. */
public class ApiDocumentRoutes extends RouteBuilder {

    @BeanInject
    OpenApiDocument openApiDocument;

    @Override
    public void configure() {
        from("direct:publish-openapi-document").routeId("publish-openapi-document")
                .process(e -> e.getMessage().setBody(openApiDocument.json(e.getContext())))
                .process(reply(200));
    }
}
