// stepline console: the pipeline editor. The editor works without this script; it
// only saves a click: choosing an action provider shows that provider's settings at
// once, instead of after "Show this provider's settings".
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("edit-form");
    if (!form) { return; }
    var selects = form.querySelectorAll("select[data-refresh]");
    for (var i = 0; i < selects.length; i++) {
      var button = document.getElementById(selects[i].getAttribute("data-refresh"));
      if (!button) { continue; }
      button.hidden = true;
      selects[i].addEventListener("change", (function (b) {
        return function () { form.requestSubmit(b); };
      })(button));
    }
  });
})();
