/* Bilag forms, on every page: progressive enhancement only.
 *
 * - Length limits are said, not enforced silently: an input's maxlength (which makes the
 *   browser cut a pasted text without a word) becomes a live count "523 / 500 tegn";
 *   the server refuses the too-long text with a message.
 * - A form marked data-warn-unsaved asks before the page is left with unsaved changes.
 * - The error summary (and the warning summary) gets the focus when the page shows it.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var lang = document.documentElement.lang || "da";
  var words = lang.indexOf("en") === 0
    ? { chars: "characters", over: "too many" }
    : { chars: "tegn", over: "for mange" };

  function count(input, box) {
    var limit = parseInt(input.getAttribute("data-maxlength"), 10);
    var used = input.value.length;
    if (used < limit * 0.8) {
      box.textContent = box.getAttribute("data-limit-text");
      box.classList.remove("error");
      return;
    }
    box.textContent = used.toLocaleString(lang) + " / " + limit.toLocaleString(lang) + " " + words.chars +
      (used > limit ? " – " + (used - limit).toLocaleString(lang) + " " + words.over : "");
    box.classList.toggle("error", used > limit);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-count-for]"), function (box) {
    var input = document.getElementById(box.getAttribute("data-count-for"));
    if (!input || !input.hasAttribute("maxlength")) return;
    input.setAttribute("data-maxlength", input.getAttribute("maxlength"));
    box.setAttribute("data-limit-text", box.textContent.trim());
    input.removeAttribute("maxlength");
    count(input, box);
    input.addEventListener("input", function () { count(input, box); });
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-warn-unsaved]"), function (form) {
    var dirty = form.hasAttribute("data-dirty");
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
  });

  var summary = document.getElementById("error-summary") || document.getElementById("warning-summary");
  if (summary) summary.focus();
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a, .warning-summary a");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var closed = target.closest("details:not([open])");
    if (closed) closed.open = true;
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
})();
