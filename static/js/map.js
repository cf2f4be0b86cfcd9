// Maps, drawn with Leaflet (static/vendor/leaflet): the proposal form's location picker, and
// the points of proposals (the table's map view, the tracker). Every page works without them:
// the number fields, the table and the tracker's list say the same.
//
// A map element carries what it needs as data attributes ({% map_attrs %}): the tile server
// and its credit, the bounds of DKI Jakarta the form checks coordinates against, the view to
// open on, and its words in the page's language.
(function () {
  "use strict";
  if (!window.L) return;

  // Up to this many points are markers a keyboard reaches (Tab, then Enter for the popup);
  // more are drawn on one canvas, and the table or list beside the map is the way in.
  var MARKER_LIMIT = 300;

  function numbers(text) {
    return text.split(",").map(Number);
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  // The map's status line: what the points or the picker last said, then whether the tiles
  // failed (which may come before or after it).
  var notes = new WeakMap();
  function say(el, text, kind) {
    var note = notes.get(el) || { main: "", tiles: "" };
    note[kind || "main"] = text;
    notes.set(el, note);
    var status = document.getElementById(el.dataset.status);
    if (status) status.textContent = [note.main, note.tiles].filter(Boolean).join(" ");
  }

  function credit(el) {
    var holder = document.createElement("span");
    var text = el.dataset.attribution || "";
    if (el.dataset.attributionUrl) {
      var link = document.createElement("a");
      link.href = el.dataset.attributionUrl;
      link.textContent = text;
      holder.appendChild(link);
    } else {
      holder.textContent = text;
    }
    return holder.innerHTML;
  }

  // Leaflet's own popup close button is labelled in English: label it in the page's language,
  // and take the keyboard into a popup opened from a marker, and back to the marker after.
  function popupsInLanguage(map, el) {
    var opener = null;
    map.on("popupopen", function (event) {
      var popup = event.popup.getElement();
      var close = popup.querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", el.dataset.labelClose);
      var source = event.popup._source;
      var marker = source && source.getElement && source.getElement();
      opener = marker && marker === document.activeElement ? marker : null;
      if (opener) {
        var link = popup.querySelector("a[href]:not(.leaflet-popup-close-button)");
        if (link) link.focus({ preventScroll: true });
      }
    });
    map.on("popupclose", function () {
      if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
      opener = null;
    });
    // Leaflet closes a popup on Escape only while the map itself has the focus, not its link.
    el.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && map.closePopup) map.closePopup();
    });
  }

  // The map itself: its bounds, zoom buttons and tiles. Without tiles (none configured, or none
  // reachable) the points stay on Leaflet's plain grey background.
  function baseMap(el) {
    var wrap = el.closest("[data-map-wrap]");
    if (wrap) wrap.hidden = false; // Leaflet measures the element: it must show first
    var edges = numbers(el.dataset.bounds);
    var limits = L.latLngBounds([edges[0], edges[1]], [edges[2], edges[3]]);
    var home = numbers(el.dataset.home);
    var map = L.map(el, { zoomControl: false, maxBounds: limits.pad(0.25), minZoom: 8 });
    L.control
      .zoom({ zoomInTitle: el.dataset.labelZoomIn, zoomOutTitle: el.dataset.labelZoomOut })
      .addTo(map);
    map.setView([home[0], home[1]], home[2]);
    if (el.dataset.tiles) {
      var tiles = L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: credit(el) });
      tiles.once("tileerror", function () {
        say(el, el.dataset.labelTilesFailed, "tiles");
      });
      tiles.addTo(map);
    }
    popupsInLanguage(map, el);
    return { map: map, limits: limits };
  }

  // -- Points: [lat, lon, key, code, status, title?], with the link and status labels once.

  function popupOf(point, data) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = data.link.replace("{key}", encodeURIComponent(point[2]));
    link.className = "fw-semibold";
    link.textContent = point[3];
    box.appendChild(link);
    if (point[5]) {
      var title = document.createElement("div");
      title.textContent = point[5];
      box.appendChild(title);
    }
    var status = document.createElement("div");
    status.className = "small text-body-secondary";
    status.textContent = data.statuses[point[4]] || point[4];
    box.appendChild(status);
    return box;
  }

  function markerOf(point) {
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = point[5] ? point[3] + " " + point[5] : point[3];
    var icon = L.divIcon({ className: "map-dot", html: name, iconSize: [24, 24] });
    return L.marker([point[0], point[1]], { icon: icon, riseOnHover: true });
  }

  function drawPoints(el, map, data) {
    var canvas = data.points.length > MARKER_LIMIT ? L.canvas({ padding: 0.5 }) : null;
    var group = L.featureGroup();
    data.points.forEach(function (point) {
      var layer = canvas
        ? L.circleMarker([point[0], point[1]], {
            renderer: canvas,
            radius: 5,
            weight: 1,
            color: "#ffffff",
            fillColor: "#0a4a9c",
            fillOpacity: 0.9,
          })
        : markerOf(point);
      layer.bindPopup(function () {
        return popupOf(point, data);
      });
      group.addLayer(layer);
    });
    group.addTo(map);
    if (data.points.length) {
      map.fitBounds(group.getBounds(), { maxZoom: 16, padding: [24, 24] });
    }
    var count = new Intl.NumberFormat(document.documentElement.lang || undefined);
    var text = data.points.length
      ? format(el.dataset.labelCount, { n: count.format(data.points.length) })
      : el.dataset.labelNone;
    if (data.capped) text += " " + format(el.dataset.labelCapped, { n: count.format(data.limit) });
    say(el, text);
  }

  document.querySelectorAll("[data-map=points]").forEach(function (el) {
    var map = baseMap(el).map;
    if (el.dataset.points) {
      drawPoints(el, map, JSON.parse(el.dataset.points));
      return;
    }
    fetch(el.dataset.pointsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        drawPoints(el, map, data);
      })
      .catch(function () {
        say(el, el.dataset.labelFailed);
      });
  });

  // -- The picker: a tap (or click) places the point, the marker drags, "Gunakan lokasi saya"
  // asks the browser; lintang and bujur follow, and the map follows them as they are typed.

  document.querySelectorAll("[data-map=pick]").forEach(function (el) {
    var latitude = document.getElementById(el.dataset.lat);
    var longitude = document.getElementById(el.dataset.lon);
    if (!latitude || !longitude) return;
    var base = baseMap(el);
    var map = base.map;
    var marker = null;
    var placed = null; // where the marker last stood inside the bounds

    // Six decimals, as the fields store them, so that what is checked is what is sent.
    function rounded(latlng) {
      return L.latLng(Number(latlng.lat.toFixed(6)), Number(latlng.lng.toFixed(6)));
    }

    function put(latlng) {
      placed = latlng;
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      var icon = L.divIcon({ className: "map-pin", iconSize: [28, 28] });
      // Not a Tab stop: it cannot be moved by keyboard; the number fields are the way there.
      marker = L.marker(latlng, {
        icon: icon,
        title: el.dataset.labelMarker,
        draggable: true,
        keyboard: false,
        autoPan: true,
      });
      marker.on("dragend", function () {
        var latlng = rounded(marker.getLatLng());
        if (base.limits.contains(latlng)) {
          fill(latlng);
        } else {
          marker.setLatLng(placed);
          say(el, el.dataset.labelOutside);
        }
      });
      marker.addTo(map);
    }

    function fill(latlng) {
      put(latlng);
      latitude.value = latlng.lat.toFixed(6);
      longitude.value = latlng.lng.toFixed(6);
      say(el, format(el.dataset.labelPicked, { lat: latitude.value, lon: longitude.value }));
    }

    // A point far out (a tap over Kepulauan Seribu at city zoom) comes closer to be adjusted.
    function show(latlng) {
      map.setView(latlng, Math.max(map.getZoom(), 16));
    }

    function choose(latlng) {
      latlng = rounded(latlng);
      if (!base.limits.contains(latlng)) {
        say(el, el.dataset.labelOutside);
        return;
      }
      fill(latlng);
      show(latlng);
    }

    map.on("click", function (event) {
      choose(event.latlng);
    });

    function follow() {
      var lat = parseFloat(latitude.value);
      var lon = parseFloat(longitude.value);
      if (isNaN(lat) || isNaN(lon)) {
        if (marker) map.removeLayer(marker);
        marker = placed = null;
        return false;
      }
      var latlng = L.latLng(lat, lon);
      if (!base.limits.contains(latlng)) return false; // the form explains it when saved
      put(latlng);
      return true;
    }
    [latitude, longitude].forEach(function (field) {
      field.addEventListener("input", function () {
        say(el, ""); // what the map last said no longer holds
        if (follow()) map.panTo(placed);
      });
    });
    if (follow()) map.setView(placed, 17);

    var locate = el.parentElement.querySelector("[data-map-locate]");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        say(el, el.dataset.labelLocating);
        navigator.geolocation.getCurrentPosition(
          function (position) {
            choose(L.latLng(position.coords.latitude, position.coords.longitude));
          },
          function () {
            say(el, el.dataset.labelLocateFailed);
          },
          { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
        );
      });
    }
  });
})();
