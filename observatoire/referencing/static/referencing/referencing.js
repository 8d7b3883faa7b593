// The referencing form: move the focus to what needs attention, and suggest listed
// organisations while the name is typed. The form works without this file.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  var matches = document.getElementById("matches");
  if (summary) {
    summary.focus();
  } else if (matches) {
    matches.focus();
  }

  var form = document.querySelector("form[data-matches-url]");
  if (!form || !window.fetch) return;
  var name = form.querySelector("[name=name]");
  var commune = form.querySelector("[name=commune_query]");
  var region = form.querySelector(".live-matches");
  if (!name || !region || matches) return;
  var timer = null;
  var lastQuery = "";

  function show(items) {
    region.textContent = "";
    if (!items.length) {
      region.hidden = true;
      return;
    }
    var intro = document.createElement("p");
    intro.textContent = region.dataset.intro || "Ces organisations sont peut-être déjà référencées ; vous pourrez le préciser avant l'envoi :";
    region.appendChild(intro);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.name + (item.town ? " — " + item.town : "") + (item.kind ? " (" + item.kind + ")" : "");
      list.appendChild(li);
    });
    region.appendChild(list);
    region.hidden = false;
  }

  function lookUp() {
    var query = "name=" + encodeURIComponent(name.value.trim()) +
      "&commune=" + encodeURIComponent(commune ? commune.value.trim() : "");
    if (query === lastQuery) return;
    lastQuery = query;
    if (name.value.trim().length < 3) { show([]); return; }
    fetch(form.dataset.matchesUrl + "?" + query, { headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
      .then(function (data) { show(data.matches || []); })
      .catch(function () { show([]); });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 600);
  }
  name.addEventListener("input", schedule);
  if (commune) commune.addEventListener("change", schedule);
})();
