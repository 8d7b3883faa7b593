// Registration form: suggests listed organisations while the visitor types their name.
(function () {
  "use strict";
  var form = document.querySelector(".registration-form");
  if (!form) return;
  var input = form.querySelector("#id_organization_name");
  var hidden = form.querySelector("#id_organization_id");
  var list = document.getElementById("organization-suggestions");
  var url = form.getAttribute("data-suggestions-url");
  var found = [];
  var timer = null;

  function chosen() {
    var value = input.value.trim();
    var match = found.find(function (o) { return o.name === value; });
    hidden.value = match ? String(match.id) : "";
  }

  function fetchSuggestions() {
    var term = input.value.trim();
    if (term.length < 2) return;
    fetch(url + "?q=" + encodeURIComponent(term), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { organizations: [] }; })
      .then(function (data) {
        found = data.organizations || [];
        list.textContent = "";
        found.forEach(function (organization) {
          var option = document.createElement("option");
          option.value = organization.name;
          if (organization.town) option.label = organization.name + " (" + organization.town + ")";
          list.appendChild(option);
        });
        chosen();
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    chosen();
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 250);
  });
  input.addEventListener("change", chosen);
})();
