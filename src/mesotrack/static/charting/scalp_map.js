// The scalp injection map: zones toggle by pointer (mouse, pen, touch) or keyboard (Enter/Space);
// the table below holds the per-zone values that the form posts. No framework.
(function () {
  "use strict";
  var map = document.querySelector("[data-testid=scalp-map]");
  if (!map) return;
  var form = document.getElementById("map-form");
  var placePoints = document.getElementById("place-points");
  var warning = map.querySelector("[data-testid=donor-warning]");
  var total = document.getElementById("map-total");

  function check(zone) { return form.querySelector("[data-zone-check='" + zone + "']"); }
  function isSelected(zone) { var box = check(zone); return !!(box && box.checked); }

  function coordinates(zone) {
    var input = form.querySelector("[data-coordinates='" + zone + "']");
    try { return { input: input, points: JSON.parse(input.value || "[]") }; }
    catch (e) { return { input: input, points: [] }; }
  }

  function drawPoints() {
    map.querySelectorAll("svg[data-view]").forEach(function (svg) {
      var layer = svg.querySelector("g.points");
      layer.replaceChildren();
      form.querySelectorAll("[data-coordinates]").forEach(function (input) {
        if (!isSelected(input.dataset.coordinates)) return;
        coordinates(input.dataset.coordinates).points.forEach(function (p) {
          if (p.view !== svg.dataset.view) return;
          var dot = document.createElementNS("http://www.w3.org/2000/svg", "circle");
          dot.setAttribute("class", "point");
          dot.setAttribute("cx", p.x * 2);
          dot.setAttribute("cy", p.y * 2);
          dot.setAttribute("r", 2.5);
          layer.appendChild(dot);
        });
      });
    });
  }

  function sync() {
    var donor = false;
    map.querySelectorAll(".zone").forEach(function (shape) {
      var on = isSelected(shape.dataset.zone);
      shape.setAttribute("aria-pressed", on ? "true" : "false");
    });
    form.querySelectorAll("[data-zone-row]").forEach(function (row) {
      var on = isSelected(row.dataset.zoneRow);
      row.hidden = !on;
      if (on && row.dataset.zoneRow === "occipital") donor = true;
    });
    if (warning) warning.hidden = !donor;
    var sum = 0;
    form.querySelectorAll("[data-zone-row]").forEach(function (row) {
      if (row.hidden) return;
      var value = parseFloat(row.querySelector("[data-volume]").value);
      if (!isNaN(value)) sum += value;
    });
    if (total) total.value = total.textContent = sum.toFixed(2);
    drawPoints();
  }

  function toggle(zone) {
    var box = check(zone);
    if (!box || box.disabled) return;
    box.checked = !box.checked;
    sync();
  }

  function addPoint(shape, event) {
    var svg = shape.ownerSVGElement;
    var box = svg.getBoundingClientRect();
    var x = ((event.clientX - box.left) / box.width) * 100;
    var y = ((event.clientY - box.top) / box.height) * 100;
    var zone = shape.dataset.zone;
    if (!isSelected(zone)) { check(zone).checked = true; }
    var data = coordinates(zone);
    data.points.push({ x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, view: svg.dataset.view });
    data.input.value = JSON.stringify(data.points);
    var count = form.querySelector("[data-points='" + zone + "']");
    if (count && parseInt(count.value || "0", 10) < data.points.length) count.value = data.points.length;
    sync();
  }

  map.querySelectorAll(".zone[role=button]").forEach(function (shape) {
    shape.addEventListener("pointerup", function (event) {
      if (event.button !== 0 && event.pointerType === "mouse") return;
      if (placePoints && placePoints.checked) addPoint(shape, event);
      else toggle(shape.dataset.zone);
    });
    shape.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        toggle(shape.dataset.zone);
      }
    });
  });
  form.addEventListener("change", sync);
  form.addEventListener("input", sync);
  sync();
})();
