// "I have looked at this version" (the case page, the changes tab): posted once the page
// is shown, because showing a page never writes. Without JavaScript the form's button
// does the same.
document.querySelectorAll("form[data-mark-seen]").forEach(function (form) {
  form.hidden = true;
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch" },
  });
});
