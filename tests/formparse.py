"""Read an HTML form as a browser would submit it, unchanged.

``form_data(html)`` returns what pressing the form's submit button would send: each named
input's value (checkboxes and radios only when checked), each select's selected option(s) (the
first option when none is marked, as browsers do), each textarea's text (less the one newline
browsers drop after the opening tag, with CRLF line breaks as browsers send them). Date, time
and number inputs keep their value only when it is in the format the input type accepts, as
in a browser. Used to prove that saving an edit form unchanged changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIPPED_INPUTS = frozenset({"submit", "button", "reset", "image", "file"})

# The HTML value sanitisation algorithm: a browser shows (and submits) an empty string for a
# date-like or number input whose value is not in the one format the input type accepts.
# A date rendered as 17/05/1990 in <input type="date"> is lost on the next save.
VALID_VALUE = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "month": re.compile(r"\d{4,}-\d{2}"),
    "number": re.compile(r"-?(\d+|\d*\.\d+)([eE][-+]?\d+)?"),
}


def sanitised(kind: str, value: str) -> str:
    """The value a browser keeps for an input of type ``kind`` given ``value`` in the HTML."""
    pattern = VALID_VALUE.get(kind)
    if pattern is None or pattern.fullmatch(value):
        return value
    return ""


@dataclass
class ParsedForm:
    action: str | None
    method: str
    data: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def post_data(self) -> dict[str, str | list[str]]:
        """For Django's test client: one value as a string, several as a list."""
        return {name: values[0] if len(values) == 1 else values for name, values in self.data.items()}


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text: list[str] = []
        self._option_selected = False
        self._textarea: str | None = None
        self._textarea_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value if value is not None else "" for key, value in attrs}
        if tag == "form":
            self._form = ParsedForm(action=attributes.get("action"), method=attributes.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in SKIPPED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._form.add(name, attributes.get("value", "on"))
                return
            self._form.add(name, sanitised(kind, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select = (name, "multiple" in attributes)
            self._options = []
        elif tag == "option" and self._select is not None:
            self._finish_option()
            self._option_value = attributes.get("value")
            self._option_text = []
            self._option_selected = "selected" in attributes
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_text = []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text.append(data)
        elif self._select is not None and self._option_value is None:
            self._option_text.append(data)

    def _finish_option(self) -> None:
        if self._select is None or (self._option_value is None and not self._option_text):
            return
        value = self._option_value if self._option_value is not None else "".join(self._option_text).strip()
        self._options.append((value, self._option_selected))
        self._option_value, self._option_text, self._option_selected = None, [], False

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._finish_option()
        elif tag == "select" and self._select is not None and self._form is not None:
            self._finish_option()
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen if multiple else chosen[-1:]:
                self._form.add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = "".join(self._textarea_text)
            # The HTML parser keeps the newline right after <textarea>; browsers drop it.
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            # Browsers submit every line break in a textarea as CRLF.
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
            self._form.add(self._textarea, text)
            self._textarea = None


def post_forms(html: str) -> list[ParsedForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return [form for form in parser.forms if form.method == "post"]


def form_data(html: str, *, action: str | None = None) -> dict[str, str | list[str]]:
    """The data the page's POST form sends unchanged: the one whose ``action`` is given, else
    the one form without an action (it posts back to the page itself)."""
    forms = post_forms(html)
    if action is not None:
        chosen = [form for form in forms if form.action == action]
    else:
        chosen = [form for form in forms if not form.action]
    if len(chosen) != 1:
        raise AssertionError(f"expected one POST form (action {action!r}), found {len(chosen)}")
    return chosen[0].post_data()
