// Swagger UI over the API's OpenAPI document, for /api/v1/docs (a file of its own: the
// Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  var root = document.getElementById("api-docs");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
  });
})();
