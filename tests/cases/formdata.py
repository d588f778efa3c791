"""Read a rendered HTML form the way a browser submits it, so tests post exactly what the
page shows (no hand-written POST data that could drift from the template)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.utils.datastructures import MultiValueDict


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.depth_template = 0
        self.fields: list[tuple[str, str]] = []
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
            return
        if tag == "template":
            self.depth_template += 1
        if not self.inside or self.depth_template:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((name, a.get("value", "on")))
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in a
            self._options = []
        elif tag == "option" and self._select:
            self._option = [a.get("value"), "selected" in a, []]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option[2].append(data)

    def handle_endtag(self, tag):
        if tag == "template":
            self.depth_template -= 1
        if tag == "form" and self.inside:
            self.inside = False
        if tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            text = "".join(parts)
            if text.startswith("\n"):  # the HTML parser drops one leading newline
                text = text[1:]
            self.fields.append((name, text))
            self._textarea = None
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((value if value is not None else "".join(text), selected))
            self._option = None
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not self._select_multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self.fields.append((self._select, value))
            self._select = None


def form_data(html: str | bytes, form_id: str = "editor") -> MultiValueDict:
    """The successful controls of the form `form_id` (without any submit button)."""
    if isinstance(html, bytes):
        html = html.decode()
    reader = _FormReader(form_id)
    reader.feed(html)
    data = MultiValueDict()
    for name, value in reader.fields:
        data.appendlist(name, value)
    return data


def as_post(data: MultiValueDict, **changes) -> dict[str, list[str]]:
    """A dict for the test client's post (lists for repeated names)."""
    out = {key: data.getlist(key) for key in data}
    for key, value in changes.items():
        out[key] = value if isinstance(value, list) else [value]
    return out
