// Ghost overlay of two photographs: the range input sets the top image's opacity.
(function () {
  "use strict";
  document.querySelectorAll("input[data-ghost-target]").forEach(function (slider) {
    var target = document.getElementById(slider.dataset.ghostTarget);
    if (!target) return;
    function apply() { target.style.opacity = String(Number(slider.value) / 100); }
    slider.addEventListener("input", apply);
    apply();
  });
})();
