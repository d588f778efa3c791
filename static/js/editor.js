/* Bilag case editor: progressive enhancement only.
 *
 * - Live tables: while the user types, the form is posted to the server's preview URL
 *   and the returned HTML (computed by the server's finance engine) replaces #live.
 *   No figure is computed here.
 * - Rows: add (from the <template> of the formset), move up/down, remove.
 * - Keyboard: arrow keys and Enter move between the cells of a grid, as in a spreadsheet
 *   (F2 or a click lets the arrows move within a cell's text; Escape leaves it again).
 * - Paste: a block copied from Excel or LibreOffice (tabs between cells, line breaks
 *   between rows) fills the cells from the one pasted into, rightwards and downwards,
 *   adding rows where the grid has too few. The text is put into the cells as copied;
 *   the server reads the numbers (Danish or English, as the page's language).
 * - Span: changing "Første år" or "Antal år" adds or removes the year columns in place;
 *   a column that still holds numbers is kept (marked outside the span) so that nothing
 *   typed is lost, and the server says so when saving.
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
      changeSpan();
      schedule();
      return;
    }
    if (name === "catalog") {
      // Another pool asks other questions: let the server draw the form again (nothing
      // is saved).
      var calculate = document.getElementById("calculate");
      if (calculate) {
        if (form.requestSubmit) form.requestSubmit(calculate);
        else calculate.click();
      }
      return;
    }
    if (event.target.type === "checkbox" && /-DELETE$/.test(name)) {
      var row = event.target.closest("[data-row], [data-spec-row]");
      if (row) {
        var rows = row.hasAttribute("data-row") ? group(row) : [row];
        rows.forEach(function (r) { r.classList.toggle("removed", event.target.checked); });
      }
    }
    schedule();
  });

  // --- the span of years: columns added and removed in place ----------------------------
  function spanYears() {
    var first = parseInt((form.elements.first_year || {}).value, 10);
    var count = parseInt((form.elements.year_count || {}).value, 10);
    if (!(first >= 1900 && first <= 2200 && count >= 1 && count <= 30)) return null;
    var years = [];
    for (var y = first; y < first + count; y++) years.push(y);
    return years;
  }

  function yearCellsOf(row) {
    return Array.prototype.filter.call(row.cells, function (c) { return c.hasAttribute("data-year"); });
  }

  function newYearCell(row, year, template) {
    // A copy of the row's first year cell, renamed to the new year and emptied.
    var cell = template.cloneNode(true);
    cell.setAttribute("data-year", String(year));
    cell.classList.remove("has-error");
    Array.prototype.forEach.call(cell.querySelectorAll(".cell-error"), function (e) { e.remove(); });
    var input = cell.querySelector("input");
    if (input) {
      input.name = input.name.replace(/y\d{4}$/, "y" + year);
      input.id = input.id.replace(/y\d{4}$/, "y" + year);
      input.value = "";
      input.classList.remove("outside-span");
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      var labelled = input.getAttribute("aria-labelledby");
      if (labelled) input.setAttribute("aria-labelledby", labelled.replace(/yh-\d{4}/, "yh-" + year));
    }
    return cell;
  }

  function columnHasValues(table, year) {
    return Array.prototype.some.call(table.querySelectorAll('td[data-year="' + year + '"] input'), function (i) {
      return i.value.trim() !== "";
    });
  }

  function respanRow(row, years, keep, isHeader) {
    var cells = isHeader
      ? Array.prototype.filter.call(row.cells, function (c) { return c.hasAttribute("data-year"); })
      : yearCellsOf(row);
    if (!cells.length) return;
    var present = {};
    cells.forEach(function (c) { present[c.getAttribute("data-year")] = c; });
    var after = cells[cells.length - 1].nextSibling;
    var template = cells[0];
    var wanted = years.concat(keep).sort();
    wanted.forEach(function (year) {
      var cell = present[String(year)];
      if (!cell) {
        if (isHeader) {
          cell = template.cloneNode(false);
          cell.setAttribute("data-year", String(year));
          if (cell.id) cell.id = "yh-" + year;
          cell.textContent = String(year);
        } else {
          cell = newYearCell(row, year, template);
        }
      }
      var input = cell.querySelector && cell.querySelector("input");
      if (input) input.classList.toggle("outside-span", years.indexOf(year) < 0);
      row.insertBefore(cell, after);
    });
    cells.forEach(function (c) {
      if (wanted.indexOf(parseInt(c.getAttribute("data-year"), 10)) < 0) c.remove();
    });
  }

  function respanTable(table, years) {
    var all = table.querySelectorAll("[data-year]");
    var seen = {};
    Array.prototype.forEach.call(all, function (c) { seen[c.getAttribute("data-year")] = true; });
    var keep = Object.keys(seen).map(Number).filter(function (y) {
      return years.indexOf(y) < 0 && columnHasValues(table, y);
    });
    Array.prototype.forEach.call(table.querySelectorAll("tr"), function (tr) {
      respanRow(tr, years, keep, tr.parentNode.tagName === "THEAD");
    });
    var width = table.tHead ? table.tHead.rows[0].cells.length : 0;
    Array.prototype.forEach.call(table.querySelectorAll("[colspan]"), function (cell) {
      if (cell.parentNode.cells.length === 1) cell.colSpan = width;
    });
  }

  function changeSpan() {
    var years = spanYears();
    if (!years) return;
    Array.prototype.forEach.call(form.querySelectorAll("table.grid"), function (table) {
      respanTable(table, years);
    });
    // The rows to come (the formsets' <template>s) get the same columns.
    Array.prototype.forEach.call(document.querySelectorAll("template[id^=tpl-]"), function (tpl) {
      var holder = document.createElement("table");
      var body = document.createElement("tbody");
      holder.appendChild(body);
      body.innerHTML = tpl.innerHTML;
      var row = body.querySelector("tr");
      if (!row) return;
      respanRow(row, years, [], false);
      tpl.innerHTML = row.outerHTML;
    });
  }

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
    // specification rows: numbered in the order they stand (each under its line)
    Array.prototype.forEach.call(box.querySelectorAll("[data-spec-row]"), function (row, index) {
      var order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(index + 1);
    });
  }

  // A line and the specification rows under it move together.
  function group(row) {
    var out = [row];
    var next = row.nextElementSibling;
    while (next && next.hasAttribute("data-spec-row")) {
      out.push(next);
      next = next.nextElementSibling;
    }
    return out;
  }

  function addSpec(prefix, line) {
    var template = document.getElementById("tpl-" + prefix);
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var lineRow = null;
    var button = form.querySelector('[data-add-spec="' + prefix + '"][data-line="' + line + '"]');
    if (button) lineRow = button.closest("[data-row]");
    if (!template || !total || !lineRow) return false;
    var index = parseInt(total.value, 10) || 0;
    var holder = document.createElement("template");
    holder.innerHTML = template.innerHTML.split("__prefix__").join(String(index)).trim();
    var row = holder.content.firstElementChild;
    var hidden = row.querySelector("[data-spec-line]");
    if (hidden) hidden.value = String(line);
    var members = group(lineRow);
    var after = members[members.length - 1];
    after.parentNode.insertBefore(row, after.nextSibling);
    total.value = String(index + 1);
    renumber(lineRow.parentNode);
    var first = row.querySelector("textarea");
    if (first) first.focus();
    schedule();
    return true;
  }

  function addRow(prefix, quiet) {
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
    if (first && !quiet) first.focus();
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
    var first = direction === "up" ? row : other;
    var before = direction === "up" ? other : row;
    group(first).forEach(function (el) { box.insertBefore(el, before); });
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
    } else if (target.hasAttribute("data-add-spec")) {
      if (addSpec(target.getAttribute("data-add-spec"), target.getAttribute("data-line"))) {
        event.preventDefault();
      }
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
    return cell && cell.querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
  }

  function gridRows(table, row) {
    // The rows of the grid that have cells where `row` has them (not headings).
    return Array.prototype.filter.call(table.querySelectorAll("tr"), function (tr) {
      return tr.cells.length === row.cells.length && tr.querySelector("input, select");
    });
  }

  var editing = null; // the input whose text the arrow keys move in (after F2 or a click)
  form.addEventListener("mousedown", function (event) {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement) {
      editing = event.target;
    }
  });
  form.addEventListener("focusout", function (event) {
    if (event.target === editing) editing = null;
  });

  function moveFrom(input, key) {
    var cell = input.closest("td, th");
    var row = cell && cell.closest("tr");
    var table = row && row.closest("table.grid");
    if (!table) return null;
    var column = Array.prototype.indexOf.call(row.cells, cell);
    if (key === "ArrowUp" || key === "ArrowDown" || key === "Enter") {
      var rows = gridRows(table, row).filter(function (tr) { return cellInput(tr.cells[column]); });
      var next = rows[rows.indexOf(row) + (key === "ArrowUp" ? -1 : 1)];
      return next ? cellInput(next.cells[column]) : null;
    }
    var step = key === "ArrowLeft" ? -1 : 1;
    for (var i = column + step; i >= 0 && i < row.cells.length; i += step) {
      var found = cellInput(row.cells[i]);
      if (found) return found;
    }
    return null;
  }

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement ||
          input instanceof HTMLTextAreaElement)) return;
    if (!input.closest("table.grid")) return;
    var key = event.key;
    if (key === "F2") { editing = input; event.preventDefault(); return; }
    if (key === "Escape") { editing = null; return; }
    if (["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Enter"].indexOf(key) < 0) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var isSelect = input instanceof HTMLSelectElement;
    if (isSelect && (key === "ArrowUp" || key === "ArrowDown")) return; // the select's own
    if (input === editing && input instanceof HTMLTextAreaElement && (key === "ArrowUp" || key === "ArrowDown")) return;
    if (input === editing && (key === "ArrowLeft" || key === "ArrowRight")) {
      // Inside the text: the caret moves, until it stands at the edge.
      var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
      var atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
      if ((key === "ArrowLeft" && !atStart) || (key === "ArrowRight" && !atEnd)) return;
    }
    var target = moveFrom(input, key);
    if (key === "Enter") event.preventDefault(); // Enter moves down; it never submits
    if (target) {
      event.preventDefault();
      editing = null;
      target.focus();
      if (target.select) target.select();
    }
  });

  // --- pasting a block from a spreadsheet --------------------------------------------------
  function parseBlock(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines.map(function (line) { return line.split("\t"); });
  }

  function setCell(control, value) {
    value = value.trim();
    if (control instanceof HTMLSelectElement) {
      var wanted = value.toLowerCase();
      var match = Array.prototype.find.call(control.options, function (o) {
        return o.value.toLowerCase() === wanted || o.text.trim().toLowerCase() === wanted;
      });
      if (match) control.value = match.value;
      return;
    }
    control.value = value;
  }

  function lineOf(specRow) {
    var hidden = specRow.querySelector("[data-spec-line]");
    return hidden ? hidden.value : null;
  }

  form.addEventListener("paste", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement)) return;
    if (!input.closest("table.grid")) return;
    var data = event.clipboardData || window.clipboardData;
    var text = data ? data.getData("text/plain") : "";
    if (!/[\t\n]/.test(text.replace(/\r?\n$/, ""))) return; // one value: the browser pastes
    event.preventDefault();
    var block = parseBlock(text);
    var cell = input.closest("td, th");
    var row = cell.closest("tr");
    var table = row.closest("table.grid");
    var column = Array.prototype.indexOf.call(row.cells, cell);
    var body = row.closest("[data-formset]");
    var scope = body || table;
    // A specification row: the block goes on into the rows under the same line (never
    // into another line's), adding specification rows under it as needed.
    var specLine = row.hasAttribute("data-spec-row") ? lineOf(row) : null;
    var specPrefix = body && body.getAttribute("data-spec-formset");
    function rowsNow() {
      var all = gridRows(scope, row);
      if (specLine === null) return all;
      return all.filter(function (tr) {
        return tr.hasAttribute("data-spec-row") && lineOf(tr) === specLine;
      });
    }
    function more() {
      if (specLine !== null) return !!specPrefix && addSpec(specPrefix, specLine);
      return !!body && addRow(body.getAttribute("data-formset"), true);
    }
    var rows = rowsNow();
    var at = rows.indexOf(row);
    var last = input;
    block.forEach(function (values, i) {
      var target = rows[at + i];
      if (!target && more()) {
        rows = rowsNow();
        target = rows[at + i];
      }
      if (!target) return;
      var c = column;
      values.forEach(function (value) {
        var control = null;
        while (c < target.cells.length && !(control = cellInput(target.cells[c]))) c++;
        if (!control) return;
        setCell(control, value);
        last = control;
        c++;
      });
    });
    last.focus();
    schedule();
    form.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
