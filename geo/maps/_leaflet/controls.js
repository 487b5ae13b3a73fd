/* geo map controls for Leaflet 1.9: coordinate readout, geodesic measuring tool,
 * legend and title boxes, and a GeoJSON layer helper. Fetches nothing.
 *
 * Every string this file puts into innerHTML was escaped in Python (html.escape)
 * before it was written into the page; numbers are formatted here.
 */
(function () {
  "use strict";

  var A = 6378137.0, F = 1 / 298.257223563, B = A * (1 - F), R_MEAN = 6371008.8;
  var RAD = Math.PI / 180;

  function wrapLon(lon) { return ((((lon + 180) % 360) + 360) % 360) - 180; }

  function fmtLatLon(lat, lon) {
    lon = wrapLon(lon);
    return Math.abs(lat).toFixed(4) + "\u00b0" + (lat >= 0 ? "N" : "S") + "  " +
           Math.abs(lon).toFixed(4) + "\u00b0" + (lon >= 0 ? "E" : "W");
  }

  /* Vincenty's inverse formula on WGS84: [metres, initial azimuth deg], or null when it
   * does not converge (nearly antipodal points). */
  function vincenty(lat1, lon1, lat2, lon2) {
    var L = wrapLon(lon2 - lon1) * RAD;
    var U1 = Math.atan((1 - F) * Math.tan(lat1 * RAD)), U2 = Math.atan((1 - F) * Math.tan(lat2 * RAD));
    var sinU1 = Math.sin(U1), cosU1 = Math.cos(U1), sinU2 = Math.sin(U2), cosU2 = Math.cos(U2);
    var lambda = L, prev, iter = 0, sinS, cosS, sigma, sinA, cos2A, cos2Sm, C;
    do {
      var sinL = Math.sin(lambda), cosL = Math.cos(lambda);
      sinS = Math.sqrt(Math.pow(cosU2 * sinL, 2) + Math.pow(cosU1 * sinU2 - sinU1 * cosU2 * cosL, 2));
      if (sinS === 0) { return [0, 0]; }
      cosS = sinU1 * sinU2 + cosU1 * cosU2 * cosL;
      sigma = Math.atan2(sinS, cosS);
      sinA = cosU1 * cosU2 * sinL / sinS;
      cos2A = 1 - sinA * sinA;
      cos2Sm = cos2A !== 0 ? cosS - 2 * sinU1 * sinU2 / cos2A : 0;
      C = F / 16 * cos2A * (4 + F * (4 - 3 * cos2A));
      prev = lambda;
      lambda = L + (1 - C) * F * sinA * (sigma + C * sinS * (cos2Sm + C * cosS * (-1 + 2 * cos2Sm * cos2Sm)));
    } while (Math.abs(lambda - prev) > 1e-12 && ++iter < 200);
    if (iter >= 200) { return null; }
    var u2 = cos2A * (A * A - B * B) / (B * B);
    var bigA = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)));
    var bigB = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)));
    var dS = bigB * sinS * (cos2Sm + bigB / 4 * (cosS * (-1 + 2 * cos2Sm * cos2Sm) -
             bigB / 6 * cos2Sm * (-3 + 4 * sinS * sinS) * (-3 + 4 * cos2Sm * cos2Sm)));
    var az = Math.atan2(cosU2 * Math.sin(lambda), cosU1 * sinU2 - sinU1 * cosU2 * Math.cos(lambda));
    return [B * bigA * (sigma - dS), (az / RAD + 360) % 360];
  }

  function haversine(lat1, lon1, lat2, lon2) {
    var dLat = (lat2 - lat1) * RAD, dLon = (lon2 - lon1) * RAD;
    var h = Math.pow(Math.sin(dLat / 2), 2) + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * R_MEAN * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  /* Points along the great circle from p to q (display only), longitudes unwrapped from p. */
  function greatCircle(p, q, n) {
    var la1 = p.lat * RAD, lo1 = p.lng * RAD, la2 = q.lat * RAD, lo2 = q.lng * RAD;
    var v1 = [Math.cos(la1) * Math.cos(lo1), Math.cos(la1) * Math.sin(lo1), Math.sin(la1)];
    var v2 = [Math.cos(la2) * Math.cos(lo2), Math.cos(la2) * Math.sin(lo2), Math.sin(la2)];
    var dot = Math.max(-1, Math.min(1, v1[0] * v2[0] + v1[1] * v2[1] + v1[2] * v2[2]));
    var w = Math.acos(dot), out = [], lastLon = p.lng;
    for (var i = 0; i <= n; i++) {
      var t = i / n, a = w === 0 ? 1 - t : Math.sin((1 - t) * w) / Math.sin(w), b = w === 0 ? t : Math.sin(t * w) / Math.sin(w);
      var x = a * v1[0] + b * v2[0], y = a * v1[1] + b * v2[1], z = a * v1[2] + b * v2[2];
      var lat = Math.atan2(z, Math.sqrt(x * x + y * y)) / RAD, lon = Math.atan2(y, x) / RAD;
      lon = lastLon + wrapLon(lon - lastLon);
      lastLon = lon;
      out.push([lat, lon]);
    }
    return out;
  }

  function box(className) {
    var Ctl = L.Control.extend({
      onAdd: function () {
        var div = L.DomUtil.create("div", "geo-box " + className);
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
        return div;
      }
    });
    return Ctl;
  }

  var geo = {};
  geo.vincenty = vincenty;
  geo.wrapLon = wrapLon;

  /* A box whose content is HTML escaped in Python. */
  geo.htmlBox = function (map, escapedHtml, className, position) {
    var ctl = new (box(className))({ position: position });
    ctl.addTo(map);
    ctl.getContainer().innerHTML = escapedHtml;
    return ctl;
  };

  geo.readout = function (map) {
    var ctl = new (box("geo-readout"))({ position: "bottomleft" });
    ctl.addTo(map);
    var div = ctl.getContainer();
    div.textContent = "lat, lon: move the pointer over the map";
    map.on("mousemove", function (e) { div.textContent = fmtLatLon(e.latlng.lat, e.latlng.lng); });
    return ctl;
  };

  /* Click points to measure the geodesic (WGS84) length of a path; click the button again to stop. */
  geo.measure = function (map) {
    var Ctl = L.Control.extend({
      onAdd: function (m) {
        var div = L.DomUtil.create("div", "leaflet-bar geo-measure");
        var btn = L.DomUtil.create("a", "geo-button", div);
        btn.href = "#"; btn.title = "Measure geodesic distance (WGS84): click points on the map";
        btn.setAttribute("role", "button");
        btn.textContent = "Measure";
        var out = L.DomUtil.create("div", "geo-measure-result", div);
        L.DomEvent.disableClickPropagation(div);
        var pts = [], line = L.polyline([], { color: "#d40000", weight: 2, dashArray: "6 4", interactive: false });
        var marks = L.layerGroup();
        var active = false;
        function redraw() {
          var path = [], total = 0, spherical = false, az = null;
          for (var i = 1; i < pts.length; i++) {
            var v = vincenty(pts[i - 1].lat, pts[i - 1].lng, pts[i].lat, pts[i].lng);
            if (v === null) { total += haversine(pts[i - 1].lat, pts[i - 1].lng, pts[i].lat, pts[i].lng); spherical = true; }
            else { total += v[0]; az = v[1]; }
            var seg = greatCircle(pts[i - 1], pts[i], 64);
            path = path.concat(i === 1 ? seg : seg.slice(1));
          }
          line.setLatLngs(path);
          if (pts.length < 2) { out.textContent = pts.length ? "click the next point" : "click the first point"; return; }
          var km = total / 1000;
          out.textContent = km.toLocaleString("en-US", { maximumFractionDigits: 1 }) + " km  (" +
            (total / 1852).toLocaleString("en-US", { maximumFractionDigits: 1 }) + " nmi)" +
            (az !== null ? ", last leg starts at azimuth " + az.toFixed(1) + "\u00b0" : "") +
            (spherical ? " [a nearly antipodal leg measured on a sphere]" : "");
        }
        function onClick(e) {
          var p = e.latlng;
          if (pts.length) { p = L.latLng(p.lat, pts[pts.length - 1].lng + wrapLon(p.lng - pts[pts.length - 1].lng)); }
          pts.push(p);
          L.circleMarker(e.latlng, { radius: 3, color: "#d40000", interactive: false }).addTo(marks);
          redraw();
        }
        function start() {
          active = true; pts = []; redraw();
          L.DomUtil.addClass(div, "geo-active"); L.DomUtil.addClass(m.getContainer(), "geo-measuring");
          line.addTo(m); marks.addTo(m); m.doubleClickZoom.disable(); m.on("click", onClick);
        }
        function stop() {
          active = false;
          L.DomUtil.removeClass(div, "geo-active"); L.DomUtil.removeClass(m.getContainer(), "geo-measuring");
          m.off("click", onClick); m.doubleClickZoom.enable(); marks.clearLayers(); m.removeLayer(marks); m.removeLayer(line);
        }
        L.DomEvent.on(btn, "click", function (e) { L.DomEvent.preventDefault(e); if (active) { stop(); } else { start(); } });
        this._geo = { points: function () { return pts; }, result: out, start: start, stop: stop };
        return div;
      }
    });
    var ctl = new Ctl({ position: "topleft" });
    ctl.addTo(map);
    return ctl;
  };

  /* GeoJSON whose features carry a style key (s), an escaped popup (p), tooltip (t) or label (l). */
  geo.layer = function (group, data, styles) {
    return L.geoJSON(data, {
      style: function (f) { return styles[f.properties.s]; },
      pointToLayer: function (f, ll) {
        if (f.properties.l) {
          return L.marker(ll, { icon: L.divIcon({ className: "geo-label", html: f.properties.l, iconSize: null, iconAnchor: [-9, 7] }), interactive: false, keyboard: false });
        }
        return L.circleMarker(ll, styles[f.properties.s]);
      },
      onEachFeature: function (f, layer) {
        if (f.properties.p) { layer.bindPopup(f.properties.p, { maxWidth: 380 }); }
        if (f.properties.t) { layer.bindTooltip(f.properties.t, { sticky: true }); }
      }
    }).addTo(group);
  };

  window.geoMap = geo;
})();
