/* The public maps: plain ES, no build. Each `[data-map]` element is drawn from its
 * `data-config` (see the `map_attrs` template tag). The shipped outlines are always drawn, so
 * the maps work with no tile server; tiles, when configured, go underneath and may fail. */
(function () {
  "use strict";

  var outlineCache = {};
  var PALETTE = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

  function loadJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) throw new Error(response.status + " " + url);
      return response.json();
    });
  }

  function outlines(config, name) {
    var url = config.outlines + name + ".geojson";
    if (!outlineCache[url]) outlineCache[url] = loadJSON(url);
    return outlineCache[url];
  }

  function createMap(element, config, view) {
    var map = L.map(element, { keyboard: true, minZoom: 1, maxZoom: 18 });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(config.outlinesAttribution);
    if (config.tiles) {
      // A tile server that does not answer only leaves the outlines: nothing else depends on it.
      L.tileLayer(config.tiles, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    }
    map.setView(view.center, view.zoom);
    return map;
  }

  function baseOutlines(map, config, name, style) {
    return outlines(config, name).then(function (data) {
      var filled = !config.tiles;
      return L.geoJSON(data, {
        interactive: false,
        style: function () {
          return Object.assign(
            { color: "#7a8794", weight: 0.6, fillColor: "#eef1f4", fillOpacity: filled ? 1 : 0 },
            style || {}
          );
        },
      }).addTo(map);
    });
  }

  function link(config, template, slug, text, target) {
    var anchor = document.createElement("a");
    anchor.href = template.replace("__slug__", encodeURIComponent(slug));
    anchor.textContent = text;
    if (target) anchor.target = target;
    return anchor;
  }

  function popup(parts) {
    var box = document.createElement("div");
    parts.forEach(function (part, index) {
      if (index) box.appendChild(document.createElement("br"));
      box.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    return box;
  }

  function withView(endpoint, map) {
    var bounds = map.getBounds();
    var bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (v) { return v.toFixed(2); }).join(",");
    return endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") +
      "zoom=" + map.getZoom() + "&bbox=" + encodeURIComponent(bbox);
  }

  function clusterIcon(count) {
    var size = count < 100 ? 34 : count < 1000 ? 42 : 50;
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "map-cluster",
      iconSize: [size, size],
    });
  }

  /* Organisations or project places: points clustered in the browser, or grid clusters from
   * the server when there are too many; those are asked again for the new view after a move. */
  function pointsMap(element, config, view, describe) {
    var map = createMap(element, config, view);
    var target = element.getAttribute("data-link-target");
    var layer = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false }) : L.layerGroup();
    map.addLayer(layer);
    var clustered = false;
    var pending = 0;

    function draw(data) {
      layer.clearLayers();
      clustered = data.clusters.length > 0;
      var markers = data.points.map(function (point) {
        var text = describe.title(point);
        var marker = L.marker([point[0], point[1]], { title: text, alt: text, keyboard: true });
        marker.bindPopup(function () { return describe.popup(point, target); });
        return marker;
      });
      data.clusters.forEach(function (cluster) {
        var label = config.labels.cluster.replace("%(count)s", cluster[2]);
        var marker = L.marker([cluster[0], cluster[1]], {
          icon: clusterIcon(cluster[2]), title: label, alt: label, keyboard: true,
        });
        marker.on("click", function () { map.setView(marker.getLatLng(), map.getZoom() + 2); });
        markers.push(marker);
      });
      if (layer.addLayers) layer.addLayers(markers);
      else markers.forEach(function (m) { layer.addLayer(m); });
      element.setAttribute("data-points", String(data.points.length));
      element.setAttribute("data-clusters", String(data.clusters.length));
    }

    function fetchData(url, first) {
      var ticket = ++pending;
      return loadJSON(url).then(function (data) {
        if (ticket !== pending) return;
        draw(data);
        // All the points at once: show them all (clusters keep the default view).
        if (first && view.fitPoints && data.points.length) {
          map.fitBounds(L.latLngBounds(data.points.map(function (p) { return [p[0], p[1]]; })), {
            padding: [20, 20], maxZoom: 9, animate: false,
          });
        }
      });
    }

    var ready = Promise.all(view.outlines.map(function (name) {
      return baseOutlines(map, config, name);
    })).then(function () {
      if (view.fitRegion) return fitRegion(map, config);
    }).then(function () {
      var url = config.endpoint + (config.endpoint.indexOf("?") < 0 ? "?" : "&") + "zoom=" + map.getZoom();
      return fetchData(url, true);
    });
    map.on("moveend", function () {
      if (clustered) fetchData(withView(config.endpoint, map));
    });
    return ready;
  }

  function fitRegion(map, config) {
    return outlines(config, "regions").then(function (data) {
      var region = data.features.filter(function (f) { return f.id === config.region; });
      // No animation on the first view: markers must not move under a pointer or a test.
      if (region.length) map.fitBounds(L.geoJSON(region).getBounds(), { padding: [10, 10], animate: false });
    });
  }

  function organizationsMap(element, config) {
    // The network's region first: organisations abroad are a zoom out away.
    var view = { center: [45.4, 0.4], zoom: 6, outlines: ["countries", "departements"], fitRegion: true };
    return pointsMap(element, config, view, {
      title: function (p) { return p[2]; },
      popup: function (p, target) {
        return popup([link(config, config.organizationUrl, p[3], p[2], target)]);
      },
    });
  }

  function projectsMap(element, config) {
    var view = { center: [15, 5], zoom: 2, outlines: ["countries"], fitPoints: true };
    return pointsMap(element, config, view, {
      title: function (p) { return p[2] + " — " + p[4]; },
      popup: function (p, target) {
        return popup([link(config, config.projectUrl, p[3], p[2], target), p[4]]);
      },
    });
  }

  function classes(counts) {
    var max = 0;
    Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
    return function (n) {
      if (!n) return null;
      var index = Math.min(PALETTE.length - 1, Math.floor((Math.log(n) / Math.log(max + 1)) * PALETTE.length));
      return PALETTE[index];
    };
  }

  function legend(map, config, counts) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "map-legend");
      var max = 0;
      Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
      box.textContent = config.labels.legend + " : 1 – " + max;
      var scale = L.DomUtil.create("span", "map-legend__scale", box);
      PALETTE.forEach(function (colour) {
        var swatch = L.DomUtil.create("span", "map-legend__swatch", scale);
        swatch.style.background = colour;
      });
      return box;
    };
    control.addTo(map);
    return control;
  }

  function choropleth(map, config, layerName, counts, filter, names) {
    var colour = classes(counts);
    return outlines(config, layerName).then(function (data) {
      var layer = L.geoJSON(data, {
        filter: filter,
        style: function (feature) {
          var fill = colour(counts[feature.id] || 0);
          return {
            color: "#5b6b7a", weight: 0.7,
            fillColor: fill || "#f4f6f8", fillOpacity: fill ? 0.9 : (config.tiles ? 0.2 : 1),
          };
        },
        onEachFeature: function (feature, layer) {
          var name = (feature.properties && feature.properties.name) || (names && names[feature.id]) || feature.id;
          layer.bindTooltip(name + " : " + (counts[feature.id] || 0), { sticky: true });
        },
      }).addTo(map);
      return layer;
    });
  }

  function countriesMap(element, config) {
    var map = createMap(element, config, { center: [15, 5], zoom: 2 });
    var current = null;
    var currentLegend = null;
    var section = element.closest("section");
    var switcher = section && section.querySelector(".map-switch");

    function show(subject) {
      var url = config.endpoint + (config.endpoint.indexOf("?") < 0 ? "?" : "&") + "subject=" + subject;
      return loadJSON(url).then(function (data) {
        if (current) map.removeLayer(current);
        if (currentLegend) map.removeControl(currentLegend);
        currentLegend = legend(map, config, data.counts);
        element.setAttribute("data-subject", subject);
        return choropleth(map, config, "countries", data.counts).then(function (layer) {
          current = layer;
          element.setAttribute("data-coloured", String(Object.keys(data.counts).length));
        });
      });
    }

    if (switcher) {
      switcher.hidden = false;
      switcher.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-subject]");
        if (!button) return;
        switcher.querySelectorAll("button").forEach(function (b) {
          b.setAttribute("aria-pressed", String(b === button));
        });
        show(button.getAttribute("data-subject"));
      });
    }
    return show("organizations");
  }

  function partnershipsMap(element, config) {
    var map = createMap(element, config, { center: [30, 5], zoom: 2 });
    return baseOutlines(map, config, "countries").then(function () {
      return loadJSON(config.endpoint);
    }).then(function (data) {
      var group = L.featureGroup();
      data.lines.forEach(function (line) {
        var from = [line[0], line[1]];
        var to = [line[4], line[5]];
        var text = line[2] + " — " + line[6];
        L.polyline([from, to], { color: "#0a6e8a", weight: 2, opacity: 0.8 })
          .bindTooltip(text, { sticky: true }).addTo(group);
        L.circleMarker(from, { radius: 4, color: "#0a6e8a", fillOpacity: 1 })
          .bindPopup(function () {
            return popup([link(config, config.organizationUrl, line[3], line[2]), line[6]]);
          }).addTo(group);
        L.circleMarker(to, { radius: 4, color: "#b35900", fillOpacity: 1 })
          .bindPopup(function () {
            return popup([line[8] ? link(config, config.organizationUrl, line[8], line[6]) : line[6], line[2]]);
          }).addTo(group);
      });
      group.addTo(map);
      if (data.lines.length) map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 6, animate: false });
      element.setAttribute("data-lines", String(data.lines.length));
    });
  }

  function departementsMap(element, config) {
    var map = createMap(element, config, { center: [45.4, 0.4], zoom: 6 });
    return loadJSON(config.endpoint).then(function (data) {
      legend(map, config, data.counts);
      return Promise.all([
        baseOutlines(map, config, "departements"),
        outlines(config, "regions"),
      ]).then(function (results) {
        var region = results[1].features.filter(function (f) { return f.id === config.region; });
        var border = L.geoJSON(region, { interactive: false, style: { color: "#1d2733", weight: 2, fill: false } });
        var inRegion = {};
        data.codes.forEach(function (code) { inRegion[code] = true; });
        return choropleth(map, config, "departements", data.counts, function (feature) {
          return !data.codes.length || inRegion[feature.id];
        }).then(function (layer) {
          border.addTo(map);
          if (region.length) map.fitBounds(border.getBounds(), { padding: [10, 10], animate: false });
          element.setAttribute("data-coloured", String(layer.getLayers().length));
        });
      });
    });
  }

  function miniMap(element, config) {
    var scripts = element.querySelectorAll("script[type='application/json']");
    var countries = JSON.parse(scripts[0].textContent) || [];
    var points = JSON.parse(scripts[1].textContent) || [];
    var map = createMap(element, config, { center: [20, 5], zoom: 1 });
    var counts = {};
    countries.forEach(function (code) { counts[code] = 1; });
    return baseOutlines(map, config, "countries").then(function () {
      return choropleth(map, config, "countries", counts, function (f) { return counts[f.id]; });
    }).then(function (layer) {
      var group = L.featureGroup(layer.getLayers());
      points.forEach(function (point) {
        L.marker([point.lat, point.lon], { title: point.label, alt: point.label })
          .bindPopup(popup([point.label])).addTo(group);
      });
      group.addTo(map);
      if (group.getLayers().length) map.fitBounds(group.getBounds(), { padding: [10, 10], maxZoom: 7, animate: false });
    });
  }

  var DRAW = {
    organizations: organizationsMap,
    projects: projectsMap,
    countries: countriesMap,
    partnerships: partnershipsMap,
    departements: departementsMap,
    mini: miniMap,
  };

  function init() {
    if (!window.L) return;
    document.querySelectorAll("[data-map]").forEach(function (element) {
      if (element.getAttribute("data-ready")) return;
      element.setAttribute("data-ready", "loading");
      var config = JSON.parse(element.getAttribute("data-config"));
      var draw = DRAW[config.kind];
      if (!draw) return;
      // One map failing leaves the others (and its table) in place.
      Promise.resolve().then(function () {
        return draw(element, config);
      }).then(function () {
        element.setAttribute("data-ready", "drawn");
      }).catch(function (error) {
        element.setAttribute("data-ready", "failed");
        if (window.console) console.warn("map not drawn:", error);
      });
    });
    // The embed snippets: select the code and copy it, saying so to screen readers.
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field || button.getAttribute("data-bound")) return;
      button.setAttribute("data-bound", "1");
      button.hidden = false;
      button.addEventListener("click", function () {
        field.select();
        var done = navigator.clipboard ? navigator.clipboard.writeText(field.value) : Promise.reject();
        done.catch(function () { document.execCommand("copy"); }).then(function () {
          var status = document.getElementById("embed-status");
          if (status) status.textContent = button.getAttribute("data-copied") || "";
        });
      });
    });
    // Filters reload the page (and its tables) as soon as one changes.
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      if (form.getAttribute("data-bound")) return;
      form.setAttribute("data-bound", "1");
      form.addEventListener("change", function (event) {
        if (event.target.tagName === "SELECT") form.submit();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
