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

  /* Ideas board: dragging a card onto a column submits the card's own form for that stage
     (the same post its buttons make); a decision opens the card's reason form instead.
     Cancel closes the decision form without reloading. */
  function ideasBoard() {
    var board = document.getElementById("board");
    if (!board) { return; }
    var dragged = null;
    function target(card, column) {
      return card && card.querySelector("[data-sv-to='" + column + "']");
    }
    board.addEventListener("dragstart", function (event) {
      var card = event.target instanceof Element && event.target.closest("[data-sv-card]");
      if (!card) { return; }
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
    });
    board.addEventListener("dragend", function () {
      dragged = null;
      board.querySelectorAll(".sv-drop").forEach(function (c) { c.classList.remove("sv-drop"); });
    });
    board.addEventListener("dragover", function (event) {
      var column = event.target instanceof Element && event.target.closest("[data-sv-column]");
      if (column && target(dragged, column.getAttribute("data-sv-column"))) {
        event.preventDefault();
        column.classList.add("sv-drop");
      }
    });
    board.addEventListener("dragleave", function (event) {
      var column = event.target instanceof Element && event.target.closest("[data-sv-column]");
      if (column && !column.contains(event.relatedTarget)) { column.classList.remove("sv-drop"); }
    });
    board.addEventListener("drop", function (event) {
      var column = event.target instanceof Element && event.target.closest("[data-sv-column]");
      var found = column && target(dragged, column.getAttribute("data-sv-column"));
      if (!found) { return; }
      event.preventDefault();
      column.classList.remove("sv-drop");
      if (found.tagName === "DETAILS") {
        found.open = true;
        found.querySelector("textarea").focus();
      } else {
        found.requestSubmit();
      }
    });
  }

  // A "Cancel" link inside a <details> form (data-sv-cancel) discards what was typed,
  // closes the form and gives the focus back to its summary; without JavaScript the
  // link reloads the page, which does the same.
  function detailsCancel() {
    document.addEventListener("click", function (event) {
      var cancel = event.target instanceof Element && event.target.closest("[data-sv-cancel]");
      if (!cancel) { return; }
      var details = cancel.closest("details");
      if (!details) { return; }
      event.preventDefault();
      var form = cancel.closest("form");
      if (form) { form.reset(); }  // what was typed is discarded, as a reload would
      details.open = false;
      details.querySelector("summary").focus();
    });
  }

  function ready() { focusErrorSummary(); weightsTotal(); ideasBoard(); detailsCancel(); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
