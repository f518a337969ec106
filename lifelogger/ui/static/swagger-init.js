// Starts Swagger UI from data attributes, so the page needs no inline script
// and works under a Content-Security-Policy of script-src 'self'.
(function () {
  "use strict";
  var container = document.getElementById("swagger-ui-container");
  var config = JSON.parse(container.dataset.config || "{}");
  config.url = container.dataset.specUrl;
  config.dom_id = "#swagger-ui-container";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];
  config.layout = "StandaloneLayout";
  window.ui = SwaggerUIBundle(config);
})();
