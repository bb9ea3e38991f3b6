// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  var form = document.querySelector("[data-filter-form]");
  if (!form) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.directory tbody tr"));
  function apply() {
    var want = {};
    Array.prototype.forEach.call(form.querySelectorAll("[data-filter]"), function (el) {
      want[el.getAttribute("data-filter")] = el.value;
    });
    rows.forEach(function (row) {
      var show = Object.keys(want).every(function (k) {
        return !want[k] || row.getAttribute("data-" + k) === want[k];
      });
      row.hidden = !show;
    });
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
})();
