/* Bilag case editor: progressive enhancement only.
 *
 * - Live tables: while the user types, the form is posted to the server's preview URL
 *   and the returned HTML (computed by the server's finance engine) replaces #live.
 *   No figure is computed here.
 * - Rows: add (from the <template> of the formset), move up/down, remove.
 * - Keyboard: arrow keys and Enter move between the cells of a grid.
 * Without JavaScript the same page works through its submit buttons ("Beregn", "Tilføj").
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var form = document.getElementById("editor");
  if (!form) return;
  var live = document.getElementById("live");
  var previewUrl = form.getAttribute("data-preview-url");
  var timer = null;
  var controller = null;
  var sequence = 0;

  function refresh() {
    if (!live || !previewUrl || !window.fetch) return;
    if (controller) controller.abort();
    controller = window.AbortController ? new AbortController() : null;
    var mine = ++sequence;
    live.setAttribute("aria-busy", "true");
    fetch(previewUrl, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== sequence) return;
        live.innerHTML = html; // server-rendered, escaped by Django's templates
        live.removeAttribute("aria-busy");
        live.dispatchEvent(new CustomEvent("bilag:updated", { bubbles: true }));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        live.removeAttribute("aria-busy");
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", function (event) {
    var name = event.target.name || "";
    if (name === "first_year" || name === "year_count") {
      // The grid's columns change: let the server draw the page again (nothing is saved).
      var calculate = document.getElementById("calculate");
      if (calculate && event.target.value.trim() !== "") {
        if (form.requestSubmit) form.requestSubmit(calculate);
        else calculate.click();
      }
      return;
    }
    if (event.target.type === "checkbox" && /-DELETE$/.test(name)) {
      var row = event.target.closest("[data-row]");
      if (row) row.classList.toggle("removed", event.target.checked);
    }
    schedule();
  });

  function container(prefix) {
    return document.getElementById("body-" + prefix);
  }

  function rowsOf(box) {
    return Array.prototype.filter.call(box.children, function (el) {
      return el.hasAttribute("data-row");
    });
  }

  function renumber(box) {
    rowsOf(box).forEach(function (row, index) {
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(index + 1);
    });
  }

  function addRow(prefix) {
    var template = document.getElementById("tpl-" + prefix);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var box = container(prefix);
    if (!template || !total || !box) return false;
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("template");
    holder.innerHTML = template.innerHTML.split("__prefix__").join(String(index)).trim();
    var row = holder.content.firstElementChild;
    box.appendChild(holder.content);
    total.value = String(index + 1);
    renumber(box);
    var first = row && row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
    schedule();
    return true;
  }

  function move(button, direction) {
    var row = button.closest("[data-row]");
    if (!row) return;
    var box = row.parentNode;
    var rows = rowsOf(box);
    var at = rows.indexOf(row);
    var other = rows[at + (direction === "up" ? -1 : 1)];
    if (!other) return;
    if (direction === "up") box.insertBefore(row, other);
    else box.insertBefore(other, row);
    renumber(box);
    button.focus();
    schedule();
  }

  function equalSplit(prefix) {
    var basis = document.getElementById("id_" + prefix + "-basis");
    if (basis) basis.value = "weights";
    var box = container(prefix + "-rows");
    if (!box) return;
    rowsOf(box).forEach(function (row) {
      var removed = row.querySelector('input[name$="-DELETE"]');
      var weight = row.querySelector('input[name$="-weight"]');
      if (weight && !(removed && removed.checked)) weight.value = "1";
    });
    schedule();
  }

  form.addEventListener("click", function (event) {
    var target = event.target.closest("button");
    if (!target) return;
    if (target.hasAttribute("data-add-row")) {
      if (addRow(target.getAttribute("data-add-row"))) event.preventDefault();
    } else if (target.hasAttribute("data-move")) {
      event.preventDefault();
      move(target, target.getAttribute("data-move"));
    } else if (target.hasAttribute("data-equal")) {
      event.preventDefault();
      equalSplit(target.getAttribute("data-equal"));
    }
  });

  // --- keyboard navigation of the grids ------------------------------------------------
  function cellInput(cell) {
    return cell && cell.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "text") return;
    var cell = input.closest("td");
    var row = cell && cell.closest("tr");
    var table = row && row.closest("table.grid");
    if (!table) return;
    var key = event.key;
    var column = Array.prototype.indexOf.call(row.cells, cell);
    var target = null;
    if (key === "ArrowUp" || key === "ArrowDown" || key === "Enter") {
      var rows = Array.prototype.slice.call(table.querySelectorAll("tr")).filter(function (tr) {
        return cellInput(tr.cells[column]) && tr.cells.length === row.cells.length;
      });
      var at = rows.indexOf(row);
      var next = rows[at + (key === "ArrowUp" ? -1 : 1)];
      target = next ? cellInput(next.cells[column]) : null;
      if (key === "Enter") event.preventDefault(); // Enter moves down; it never submits
    } else if (key === "ArrowLeft" && input.selectionStart === 0 && input.selectionEnd === 0) {
      for (var i = column - 1; i >= 0 && !target; i--) target = cellInput(row.cells[i]);
    } else if (
      key === "ArrowRight" &&
      input.selectionStart === input.value.length &&
      input.selectionEnd === input.value.length
    ) {
      for (var j = column + 1; j < row.cells.length && !target; j++) target = cellInput(row.cells[j]);
    }
    if (target) {
      event.preventDefault();
      target.focus();
      if (target.select) target.select();
    }
  });
})();
