/* The survey: count the statements answered so far, for a long survey on a small screen.
   A file rather than an inline script, so that a Content-Security-Policy needs no nonce. */
(function () {
  var form = document.getElementById("survey-form"), out = document.getElementById("survey-answered");
  var items = form.querySelectorAll("fieldset.sv-item-statement");
  function update() {
    var answered = 0;
    items.forEach(function (item) { if (item.querySelector("input:checked")) { answered += 1; } });
    out.textContent = answered;
  }
  form.addEventListener("change", update);
  update();
})();
