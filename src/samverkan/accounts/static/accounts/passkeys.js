/* Two-factor page: once django-otp-webauthn's script has registered a passkey, send the
   name typed beside the button for it (the library's ceremony takes no name). */
(function () {
  "use strict";
  var form = document.getElementById("passkey-name-form");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    // Enter in the name field starts the passkey's creation rather than sending the form.
    event.preventDefault();
    var button = document.getElementById("passkey-register-button");
    if (button && !button.disabled) { button.click(); }
  });
  document.addEventListener("otp_webauthn.register_complete", function (event) {
    var id = event.detail && event.detail.id;
    if (!id) { return; }
    form.action = form.dataset.svAction.replace(/\/0\/name\/$/, "/" + id + "/name/");
    form.submit();
  });
})();
