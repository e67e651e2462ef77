"""Escaping text and attribute values for XML (feeds, sitemaps): the rules of
`xml.sax.saxutils.escape` and `quoteattr`, without the import of `urllib.request`, `http` and
`ssl` that module brings (start-up time counts on every rebuild)."""

from __future__ import annotations


def escape(data: str) -> str:
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))
