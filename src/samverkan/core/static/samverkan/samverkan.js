/* Samverkan's few behaviours that HTML cannot express. Loaded on every page from our own
   static files, so that the Content-Security-Policy needs no inline script and no eval. */
(function () {
  "use strict";

  /* After a failed submit, take keyboard and screen-reader users to the list of errors. */
  function focusErrorSummary() {
    var summary = document.querySelector(".sv-error-summary");
    if (summary) { summary.focus(); }
  }

  /* Governance profile: show the sum of the weights as they are typed. */
  function weightsTotal() {
    var form = document.getElementById("profile-form");
    var out = document.getElementById("weights-total");
    var line = document.getElementById("weights-total-line");
    if (!form || !out || !line) { return; }
    var inputs = form.querySelectorAll("#profile-weights input[type=number]");
    function update() {
      var total = 0;
      inputs.forEach(function (input) { total += parseInt(input.value, 10) || 0; });
      out.textContent = total;
      line.classList.toggle("text-danger", total !== 100);
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
  }

  /* A section marked data-sv-refresh reloads itself when the model changes elsewhere,
     but never over a form someone is filling in inside it. */
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute("data-sv-refresh") && elt.querySelector("[id^=form-]")) {
      event.preventDefault();
    }
  });

  /* A new API token is shown once: focusing it selects it, ready to copy. */
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.hasAttribute("data-sv-select-on-focus")) {
      target.select();
    }
  });

  function ready() { focusErrorSummary(); weightsTotal(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
