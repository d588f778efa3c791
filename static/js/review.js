/* Bilag case list: progressive enhancement only (the list works without it).
 *
 * - "Vælg alle" in the table's header selects every row of the page (and shows a mixed
 *   state when some are chosen); the count of chosen rows stands by the bulk buttons.
 * - Sorted columns say their direction to screen readers (aria-sort).
 * - "Kopiér link" copies a saved view's address.
 */
(function () {
  "use strict";
  var table = document.querySelector("table.case-list");
  if (table) {
    var all = table.querySelector("thead input[type=checkbox]");
    var boxes = function () {
      return Array.prototype.slice.call(table.querySelectorAll("tbody input[type=checkbox][name=select]"));
    };
    var counter = document.getElementById("selected-count");
    var update = function () {
      var list = boxes();
      var chosen = list.filter(function (b) { return b.checked; }).length;
      if (all) {
        all.checked = chosen > 0 && chosen === list.length;
        all.indeterminate = chosen > 0 && chosen < list.length;
      }
      if (counter) counter.textContent = counter.getAttribute("data-template").replace("{n}", String(chosen));
    };
    if (all) {
      all.addEventListener("change", function () {
        boxes().forEach(function (b) { b.checked = all.checked; });
        update();
      });
    }
    table.addEventListener("change", function (event) {
      if (event.target !== all) update();
    });
    update();
    Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th) {
      if (th.classList.contains("asc")) th.setAttribute("aria-sort", "ascending");
      else if (th.classList.contains("desc")) th.setAttribute("aria-sort", "descending");
    });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    event.preventDefault();
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      button.textContent = button.getAttribute("data-copied") || button.textContent;
    });
  });
})();
