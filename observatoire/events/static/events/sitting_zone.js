// Sittings typed in another time zone: show the Paris time beside them as staff type.
(function () {
  "use strict";
  const PARIS = "Europe/Paris";

  function parts(instant, zone) {
    const values = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit",
    }).formatToParts(instant).forEach(function (part) { values[part.type] = part.value; });
    return values;
  }

  // The instant at which the clocks of `zone` show this wall time.
  function instantOf(year, month, day, hour, minute, zone) {
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    let instant = wall;
    for (let i = 0; i < 2; i += 1) {
      const p = parts(new Date(instant), zone);
      const shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
      instant += wall - shown;
    }
    return new Date(instant);
  }

  function parseDate(text) {
    let match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    if (match) { return [+match[3], +match[2], +match[1]]; }
    match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text.trim());
    return match ? [+match[1], +match[2], +match[3]] : null;
  }

  function parseTime(text) {
    const match = /^(\d{1,2})[:h](\d{2})/.exec(text.trim());
    return match ? [+match[1], +match[2]] : null;
  }

  function format(instant) {
    const p = parts(instant, PARIS);
    return p.day + "/" + p.month + "/" + p.year + " " + p.hour + ":" + p.minute;
  }

  function update(row) {
    const zone = row.querySelector("select[name$='-time_zone']");
    const cell = row.querySelector(".field-paris_time");
    if (!zone || !cell) { return; }
    const target = cell.querySelector("p") || cell;
    if (!zone.value || zone.value === PARIS) { target.textContent = "—"; return; }
    const shown = ["starts_local", "ends_local"].map(function (name) {
      const date = row.querySelector("input[name$='-" + name + "_0']");
      const time = row.querySelector("input[name$='-" + name + "_1']");
      const d = date && parseDate(date.value);
      const t = time && parseTime(time.value);
      if (!d || !t) { return null; }
      try {
        return format(instantOf(d[0], d[1], d[2], t[0], t[1], zone.value));
      } catch (error) {
        return null;
      }
    });
    if (shown[0] && shown[1]) {
      target.textContent = shown[0] + " – " + shown[1].slice(-5);
    }
  }

  document.addEventListener("change", function (event) {
    const row = event.target.closest(".dynamic-sittings, tr.form-row");
    if (row && row.querySelector(".field-paris_time")) { update(row); }
  });
})();
