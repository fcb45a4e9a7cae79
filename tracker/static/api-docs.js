// The API documentation page: Swagger UI reads the OpenAPI document this app generates.
// A file of its own, not an inline script, so the Content-Security-Policy stays strict.
(function () {
  "use strict";
  var node = document.getElementById("api-docs");
  window.SwaggerUIBundle({
    url: node.getAttribute("data-spec"),
    domNode: node,
    deepLinking: true,
    tryItOutEnabled: false,
  });
})();
