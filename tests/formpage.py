"""What a browser would submit from a page's form, for tests that resubmit a form as shown."""

from html import unescape
from html.parser import HTMLParser


class _SubmitData(HTMLParser):
    """The values of each POST form: inputs, checked boxes, selected options, textareas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self.data: dict[str, list[str]] = {}
        self._state = "before"  # before → inside
        self._select = None
        self._select_first = None
        self._textarea = None

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "").lower() == "post":
                self._state, self.data = "inside", {}
                self.forms.append(self.data)
            return
        if self._state != "inside":
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"))
                return
            self._add(name, a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            if self._select_first is None:
                self._select_first = a.get("value", "")
            if "selected" in a:
                self._add(self._select, a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            text = self.data[self._textarea][-1]
            self.data[self._textarea][-1] = text[1:] if text.startswith("\n") else text
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select not in self.data and self._select_first is not None:
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "form" and self._state == "inside":
            self._state = "before"


def submit_data(html: str, *, having: str = "version") -> dict:
    """The page's POST form with a field ``having``, as a browser would send it."""
    parser = _SubmitData()
    parser.feed(html)
    form = next(form for form in parser.forms if having in form)
    data = {name: [unescape(v) for v in values] for name, values in form.items()}
    data.pop("csrfmiddlewaretoken", None)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}
