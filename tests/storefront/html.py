"""Read a page as a browser would, without caring how its attributes are ordered."""

from __future__ import annotations

import html as html_lib
from html.parser import HTMLParser


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.named: dict[str, list[dict[str, str]]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v if v is not None else "" for k, v in attrs}
        if tag == "input" and "name" in values:
            self.named.setdefault(values["name"], []).append(values)


def inputs(page: str) -> dict[str, list[dict[str, str]]]:
    """Every <input>, by name (radios share one), with its attributes."""
    parser = _Inputs()
    parser.feed(page)
    return parser.named


def text_of(page: str, element_id: str) -> str:
    """The text of a leaf element (a message <p>) found by its id; "" when absent."""
    start = page.find(f'id="{element_id}"')
    if start < 0:
        return ""
    start = page.index(">", start) + 1
    return html_lib.unescape(page[start : page.index("</", start)].strip())
