// Trichoscopy review: click the overlay to add a hair where it leaves the skin (Shift: vellus),
// click a marked hair to remove it, or a removed one to put it back. Each click posts one
// correction; the server answers with the re-drawn review, which replaces the old one.
(function () {
  "use strict";

  function csrfToken(review) {
    var field = review.querySelector("input[name=csrfmiddlewaretoken]");
    if (field) return field.value;
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function send(review, fields) {
    var url = review.dataset.correctionsUrl;
    if (!url || review.classList.contains("review-busy")) return;
    var body = new FormData();
    Object.keys(fields).forEach(function (name) { body.append(name, fields[name]); });
    review.classList.add("review-busy");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(review), "X-Requested-With": "fetch" },
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.querySelector("#review");
        if (fresh) {
          review.replaceWith(fresh);
          var focus = fields.hair_ref && fresh.querySelector('[data-ref="' + fields.hair_ref + '"]');
          if (focus) focus.focus();
        } else {
          review.classList.remove("review-busy");
        }
      })
      .catch(function () { review.classList.remove("review-busy"); });
  }

  function imagePoint(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX;
    point.y = event.clientY;
    var matrix = svg.getScreenCTM();
    return matrix ? point.matrixTransform(matrix.inverse()) : null;
  }

  function act(review, target, event) {
    var hair = target.closest("g.hair");
    if (hair) {
      var kind = hair.classList.contains("removed") ? "restore" : "remove";
      send(review, { kind: kind, hair_ref: hair.dataset.ref });
      return;
    }
    var svg = target.closest("svg.overlay");
    if (!svg || !event) return;
    var point = imagePoint(svg, event);
    if (!point) return;
    send(review, {
      kind: "add",
      x: point.x.toFixed(1),
      y: point.y.toFixed(1),
      is_vellus: event.shiftKey ? "on" : "",
    });
  }

  document.addEventListener("click", function (event) {
    var review = event.target.closest("#review[data-corrections-url]");
    if (review && event.target.closest("svg.overlay")) act(review, event.target, event);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var hair = event.target.closest && event.target.closest("g.hair");
    var review = hair && hair.closest("#review[data-corrections-url]");
    if (!review) return;
    event.preventDefault();
    act(review, hair, null);
  });
})();
