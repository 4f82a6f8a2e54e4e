// Served at /docs/swagger-initializer.js in the place of the webjar's own (which shows the Petstore example):
// Swagger UI on this service's OpenAPI document (api/ApiDocsPage.java).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
};
