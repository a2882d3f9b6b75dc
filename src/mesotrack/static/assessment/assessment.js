// Show only the stage scales and ICD-10 codes that fit the chosen diagnosis, and the acute or
// chronic question only for telogen effluvium. The server checks all of it again on save.
(function () {
  "use strict";
  var diagnosis = document.getElementById("id_diagnosis");
  var data = document.getElementById("scales-by-diagnosis");
  if (!diagnosis || !data) { return; }
  var scalesFor = JSON.parse(data.textContent);
  var icd = document.getElementById("id_icd10_code");

  function update() {
    var chosen = diagnosis.value;
    var label = chosen ? diagnosis.options[diagnosis.selectedIndex].text : "";
    var fitting = chosen ? (scalesFor[chosen] || []) : null;
    document.querySelectorAll(".stage-scale").forEach(function (fieldset) {
      var show = fitting === null || fitting.indexOf(fieldset.dataset.scale) !== -1;
      fieldset.hidden = !show;
      if (!show) {
        fieldset.querySelectorAll("input[type=radio]:checked").forEach(function (radio) {
          radio.checked = false;
        });
      }
    });
    if (icd) {
      Array.prototype.forEach.call(icd.querySelectorAll("optgroup"), function (group) {
        var show = !chosen || group.label === label;
        group.hidden = !show;
        group.disabled = !show;
      });
      var selected = icd.options[icd.selectedIndex];
      if (selected && selected.parentNode.disabled) { icd.value = ""; }
      var group = chosen ? icd.querySelector("optgroup:not([disabled])") : null;
      if (group && group.children.length === 1 && !icd.value) { icd.value = group.children[0].value; }
    }
    document.querySelectorAll("[data-show-for]").forEach(function (element) {
      element.hidden = element.dataset.showFor !== chosen;
      if (element.hidden) {
        element.querySelectorAll("select").forEach(function (select) { select.value = ""; });
      }
    });
  }
  diagnosis.addEventListener("change", update);
  update();
})();
