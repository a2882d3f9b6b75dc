/* Signature pad: draw with mouse, finger or pen (pointer events) on a <canvas>; the drawing is
   kept as a PNG data URL in the form's hidden input. No dependencies. */
(function () {
  "use strict";

  var MAX_WIDTH = 1600;
  var MAX_HEIGHT = 800;
  var KEYBOARD_MESSAGE =
    "A drawn signature is required. It cannot be made with the keyboard: sign in the box with " +
    "a finger, a stylus or the mouse, and the witness confirms below that they saw it.";
  var EMPTY_MESSAGE = "Ask the patient to draw their signature in the box before you submit.";

  function setUp(pad) {
    var form = pad.closest("form");
    var canvas = pad.querySelector("canvas");
    var clearButton = pad.querySelector("[data-signature-clear]");
    var input = form.querySelector("[data-signature-input]");
    var message = form.querySelector("[data-signature-message]");
    var context = canvas.getContext("2d");
    var drawing = false;
    var last = null;

    function say(text) {
      message.textContent = text;
      message.hidden = !text;
    }

    function blank() {
      var box = canvas.getBoundingClientRect();
      var ratio = Math.min(
        window.devicePixelRatio || 1,
        MAX_WIDTH / box.width,
        MAX_HEIGHT / box.height
      );
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, box.width, box.height);
      context.lineWidth = 2.5;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#111111";
      context.fillStyle = "#111111";
      return box;
    }

    function restore(dataUrl) {
      var box = blank();
      if (!dataUrl || dataUrl.indexOf("data:image/png;base64,") !== 0) {
        input.value = "";
        return;
      }
      var image = new Image();
      image.onload = function () {
        context.drawImage(image, 0, 0, box.width, box.height);
      };
      image.onerror = function () {
        input.value = "";
      };
      image.src = dataUrl;
    }

    function at(event) {
      var box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    function lineTo(point) {
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(point.x, point.y);
      context.stroke();
      last = point;
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = at(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fill();
      say("");
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      var points = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      if (!points.length) {
        points = [event];
      }
      points.forEach(function (point) {
        lineTo(at(point));
      });
    });

    function finish() {
      if (!drawing) {
        return;
      }
      drawing = false;
      input.value = canvas.toDataURL("image/png");
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("lostpointercapture", finish);

    canvas.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" && event.key !== "Shift") {
        say(KEYBOARD_MESSAGE);
      }
    });

    clearButton.addEventListener("click", function () {
      blank();
      input.value = "";
      say("");
      canvas.focus();
    });

    form.addEventListener("submit", function (event) {
      if (!input.value) {
        event.preventDefault();
        say(EMPTY_MESSAGE);
        canvas.focus();
      }
    });

    var resizeTimer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () {
        restore(input.value);
      }, 150);
    });

    restore(input.value);
  }

  function start() {
    document.querySelectorAll("[data-signature-pad]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
