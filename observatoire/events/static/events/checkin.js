// Check-in list: filter as you type, and record presence without reloading the page.
// Without JavaScript the buttons are plain forms and everything still works.
(function () {
  "use strict";
  const search = document.getElementById("checkin-search");
  const rows = Array.from(document.querySelectorAll(".checkin-row"));
  const noMatch = document.querySelector(".no-match");

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^0-9a-z@.]+/g, " ").trim();
  }

  if (search) {
    search.addEventListener("input", function () {
      const words = fold(search.value).split(" ").filter(Boolean);
      let shown = 0;
      rows.forEach(function (row) {
        const text = row.dataset.search || "";
        const match = words.every(function (word) { return text.includes(word); });
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (noMatch) { noMatch.hidden = shown > 0 || rows.length === 0; }
    });
  }

  const list = document.getElementById("checkin-list");
  const labels = { present: list.dataset.labelPresent, absent: list.dataset.labelAbsent };

  document.querySelectorAll("form.toggle").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      const button = event.submitter;
      if (!button || !window.fetch) { return; }
      event.preventDefault();
      const data = new FormData(form);
      data.set("present", button.value);
      fetch(window.location.pathname, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.json().then(function (payload) { return { ok: response.ok, payload: payload }; });
      }).then(function (result) {
        if (!result.ok) { window.alert(result.payload.error); return; }
        const row = form.closest(".checkin-row");
        row.classList.toggle("is-present", result.payload.present);
        row.classList.toggle("is-absent", !result.payload.present);
        row.querySelector(".state").textContent = result.payload.present ? labels.present : labels.absent;
        Object.entries(result.payload.counts).forEach(function (entry) {
          const counter = document.querySelector('[data-count="' + entry[0] + '"]');
          if (counter) { counter.textContent = entry[1]; }
        });
      }).catch(function () {
        // Offline for a moment: send the plain form instead.
        const field = document.createElement("input");
        field.type = "hidden";
        field.name = "present";
        field.value = button.value;
        form.appendChild(field);
        form.submit();
      });
    });
  });
})();
