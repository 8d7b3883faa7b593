// The campaign editor: Trix replaces the plain textarea when JavaScript runs. Without it, the
// textarea stays and staff type HTML; either way the server sanitises what is saved.
(function () {
  "use strict";
  function enhance() {
    // Trix defines its elements a tick after it loads: its global is the sign it is there.
    if (!window.customElements || !window.Trix) return;
    document.querySelectorAll("textarea.campaign-editor").forEach(function (textarea) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = textarea.name;
      input.id = textarea.id + "_input";
      input.value = textarea.value;
      var editor = document.createElement("trix-editor");
      editor.setAttribute("input", input.id);
      editor.id = textarea.id;
      var label = document.querySelector('label[for="' + textarea.id + '"]');
      if (label) {
        label.id = label.id || textarea.id + "_label";
        editor.setAttribute("aria-labelledby", label.id);
      }
      var described = textarea.getAttribute("aria-describedby");
      if (described) editor.setAttribute("aria-describedby", described);
      textarea.replaceWith(input);
      input.after(editor);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
