// The list form: show the register filters for dynamic lists only, and count live
// how many contacts they reach.
(function () {
  "use strict";
  const form = document.getElementById("list-form");
  if (!form) return;
  const filters = document.getElementById("dynamic-filters");
  const output = document.getElementById("live-count");
  const kind = form.querySelector("[name=kind]");
  let timer = null;

  function isDynamic() {
    return kind && kind.value === "dynamic";
  }

  function refresh() {
    filters.hidden = !isDynamic();
    if (!isDynamic()) return;
    const params = new URLSearchParams();
    for (const field of filters.querySelectorAll("[data-parameter]")) {
      if (field.value) params.set(field.dataset.parameter, field.value);
    }
    for (const name of ["purpose", "reach"]) {
      const field = form.querySelector("[name=" + name + "]");
      if (field) params.set(name, field.value);
    }
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(form.dataset.countUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          output.textContent = output.dataset.template
            .replace("{organizations}", data.organizations)
            .replace("{recipients}", data.recipients);
        })
        .catch(function () { output.textContent = ""; });
    }, 300);
  }

  form.addEventListener("change", refresh);
  form.addEventListener("input", refresh);
  refresh();
})();
