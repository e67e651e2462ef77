"""An HTML page's metadata, each field with where it came from.

Sources are read in the order the issue sets, and the first one that has a field wins: JSON-LD
(NewsArticle/Article, ingest/jsonld.py) → Open Graph and `article:*` → `meta name=author`,
parse.ly, Dublin Core → the page itself (`h1`, a byline element, `<time datetime>`) → a date in
the URL → htmldate without its extensive search. The command applies the flags last. A date
never comes from body text, and nothing here raises on a broken page: a field that cannot be
read is simply not found."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from ..core.urls import parse_url
from ..parse.tracking import strip_tracking
from . import jsonld
from .model import Found

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# "/2024/03/18/", "/2024-03-18-", "/20240318/": a full date in the path, with a plausible year
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([/_.-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_BY = re.compile(r"^\s*(?:(?:posted|written|reported)\s+by|by|par|von|por|di|door|av|af|автор|от)\s*[:\s]\s*",
                 re.IGNORECASE)
_BYLINE_EDGE = " \t—–-|,;:·•"
# "By Gabriella Clare | Mirror |", "By Jane Doe | The Guardian"
_PIPE_BYLINE = re.compile(r"^\s*by\s+([^|]{2,80}?)\s*\|\s*([^|]{2,60}?)\s*(?:\||$)", re.IGNORECASE)
# "This article originally appeared in The Guardian.", "First published by Reuters on …"
_ORIGINALLY = re.compile(
    r"\b(?:originally|first)\s+(?:appeared|published|ran)\s+(?:in|on|by|at)\s+(?:the\s+website\s+of\s+)?"
    r"((?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,5})", re.UNICODE)
_BYLINE_CLASSES = ("byline", "author", "writer", "contributor")
# elements that may be a byline: XPath picks those with the attributes, so a huge page's
# plain paragraphs are never walked in Python
_MARKED = "//*[@class or @id or @rel or @itemprop][self::a or self::span or self::div or self::p or " \
    "self::address or self::li]"


def parse_document(html: str) -> HtmlElement | None:
    """The page as an lxml tree, or None when nothing can be parsed. The text goes in as UTF-8
    bytes so a page that declares another encoding in its XML prolog or meta is still read."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    try:
        parser = HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=True)
        return document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError, TypeError):
        return None


def page_metadata(doc: HtmlElement | None, page_url: str | None) -> dict[str, Found]:
    """The fields found in the page (keys as in ingest/model.py), first source first."""
    fields: dict[str, Found] = {}
    if doc is None:
        if page_url:
            fields["page_url"] = Found(page_url, "where the page was read")
        return fields

    def put(key: str, value: str, origin: str) -> None:
        # entities escaped twice in a meta tag ("&amp;nbsp;") read as text once more
        value = " ".join(unescape(value).split()) if "&" in value else " ".join(value.split())
        if value and key not in fields:
            fields[key] = Found(value, origin)

    _from_jsonld(doc, put)
    _from_meta(doc, put)
    _from_page(doc, put)
    _canonical(doc, page_url, fields)
    _without_site_suffix(fields)
    if "date" not in fields:
        canonical = fields["url"].value if "url" in fields else ""
        for address, where in ((canonical, "canonical URL path"), (page_url or "", "URL path")):
            found = _date_in_url(address)
            if found:
                put("date", found, where)
                break
    if "date" not in fields:
        found = _htmldate(doc, page_url)
        if found:
            put("date", found, "htmldate")
    if page_url:
        put("page_url", page_url, "where the page was read")
    return fields


def _from_jsonld(doc: HtmlElement, put: Callable[[str, str, str], None]) -> None:
    blocks = [s.text_content() for s in doc.iter("script")
              if "ld+json" in (s.get("type") or "").lower()]
    values = jsonld.parse_blocks(blocks)
    article = jsonld.find_article(values)
    if article is None:
        return
    ids = jsonld.by_id(values)
    put("title", jsonld.text(article.get("headline")) or jsonld.text(article.get("name")), "JSON-LD headline")
    put("standfirst", jsonld.text(article.get("description")), "JSON-LD description")
    persons, organisations = jsonld.people(article.get("author"), ids)
    put("author", ", ".join(persons), "JSON-LD author")
    for key in ("datePublished", "dateCreated"):
        put("date", _iso(jsonld.text(article.get(key))), f"JSON-LD {key}")
    put("canonical", jsonld.url_of(article.get("url")) or jsonld.url_of(article.get("mainEntityOfPage")),
        "JSON-LD url")
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and set(publisher) <= {"@id", "@type"}:
        publisher = ids.get(str(publisher.get("@id")), publisher)
    site = jsonld.text(publisher)
    put("site_name", site, "JSON-LD publisher")
    based = article.get("isBasedOn") or article.get("isBasedOnUrl")
    if isinstance(based, dict):
        put("outlet", jsonld.text(based.get("publisher")) or jsonld.text(based.get("sourceOrganization")),
            "JSON-LD isBasedOn")
    put("outlet", jsonld.text(article.get("sourceOrganization")), "JSON-LD sourceOrganization")
    for name in organisations:
        if name.casefold() != site.casefold():
            put("outlet", name, "JSON-LD author organisation")
    put("lang", jsonld.text(article.get("inLanguage")), "JSON-LD inLanguage")


def _meta_tags(doc: HtmlElement) -> dict[str, str]:
    """The page's meta tags by lower-cased property/name/itemprop; the first of each wins."""
    tags: dict[str, str] = {}
    for meta in doc.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (meta.get(attr) or "").strip().lower()
            if key:
                tags.setdefault(key, content.strip())
    return tags


def _from_meta(doc: HtmlElement, put: Callable[[str, str, str], None]) -> None:
    tags = _meta_tags(doc)
    # Open Graph and article:*
    put("title", tags.get("og:title", ""), "og:title")
    put("standfirst", tags.get("og:description", ""), "og:description")
    put("date", _iso(tags.get("article:published_time", "")), "article:published_time")
    author = tags.get("article:author", "")
    if not author.startswith(("http://", "https://")):  # often a Facebook profile address
        put("author", author, "article:author")
    put("site_name", tags.get("og:site_name", ""), "og:site_name")
    # meta author, parse.ly, Dublin Core
    put("author", "" if tags.get("author", "").startswith("http") else tags.get("author", ""), "meta author")
    parsely = _parsely_page(tags.get("parsely-page", ""))
    put("title", tags.get("parsely-title", "") or jsonld.text(parsely.get("title")), "parse.ly title")
    put("author", tags.get("parsely-author", "") or jsonld.text(parsely.get("author")), "parse.ly author")
    pub_date = tags.get("parsely-pub-date", "") or jsonld.text(parsely.get("pub_date"))
    put("date", _iso(pub_date), "parse.ly pub-date")
    for key in ("dc.title", "dcterms.title"):
        put("title", tags.get(key, ""), key)
    for key in ("dc.creator", "dcterms.creator"):
        put("author", tags.get(key, ""), key)
    for key in ("dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dcterms.created"):
        put("date", _iso(tags.get(key, "")), key)
    publisher = tags.get("dc.publisher", "") or tags.get("dcterms.publisher", "")
    put("site_name", publisher, "Dublin Core publisher")
    put("standfirst", tags.get("description", ""), "meta description")
    put("title", tags.get("twitter:title", ""), "twitter:title")
    lang = tags.get("og:locale", "") or tags.get("content-language", "")
    put("lang", lang.replace("_", "-"), "og:locale" if tags.get("og:locale") else "Content-Language")


def _without_site_suffix(fields: dict[str, Found]) -> None:
    """"Headline - Yahoo!ニュース" → "Headline": the site's name that pages append to og:title
    and <title> is not part of the headline."""
    if "title" not in fields or "site_name" not in fields:
        return
    title, site = fields["title"], fields["site_name"].value
    for separator in (" - ", " | ", " – ", " — ", " :: ", " · "):
        suffix = f"{separator}{site}"
        if title.value.casefold().endswith(suffix.casefold()) and len(title.value) > len(suffix) + 3:
            fields["title"] = Found(title.value[: -len(suffix)].strip(), title.origin)
            return


def _parsely_page(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw, strict=False) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _from_page(doc: HtmlElement, put: Callable[[str, str, str], None]) -> None:
    h1 = next((t for t in (_text(h) for h in doc.iter("h1")) if t), "")
    put("title", h1, "h1")
    for line in _bylines(doc):
        pipe = _PIPE_BYLINE.match(line)
        if pipe:
            put("author", pipe.group(1).strip(_BYLINE_EDGE), "byline")
            put("outlet", pipe.group(2), "byline")
        elif len(line) <= 80 and not any(ch.isdigit() for ch in line):
            put("author", _BY.sub("", line).strip(_BYLINE_EDGE), "byline")
    put("date", _microdata_date(doc), "itemprop datePublished")
    put("date", _time_element(doc), "<time datetime>")
    for paragraph in _short_blocks(doc, 400):
        originally = _ORIGINALLY.search(paragraph)
        if originally:
            put("outlet", originally.group(1).rstrip(".,;"), "'originally appeared' line")
            break
    titles = [t for t in (_text(e) for e in doc.iter("title")) if t]
    put("title", titles[0] if titles else "", "<title>")
    put("lang", doc.get("lang", "") or doc.get("xml:lang", ""), "<html lang>")


def _text(element: HtmlElement) -> str:
    try:
        return " ".join(element.text_content().split())
    except ValueError:
        return ""


def _bylines(doc: HtmlElement) -> list[str]:
    """The texts of the byline elements: rel=author, itemprop=author, a class or id naming a byline
    or an author, and short paragraphs starting "By … |" (a syndicated byline)."""
    found: list[str] = []
    for element in doc.xpath(_MARKED):
        marks = " ".join(element.get(a) or "" for a in ("class", "id", "rel", "itemprop")).lower()
        if not any(mark in marks for mark in _BYLINE_CLASSES):
            continue
        text = _text(element)
        if 2 < len(text) <= 160:
            found.append(text)
        if len(found) >= 5:
            break
    found += [t for t in _short_blocks(doc, 160) if _PIPE_BYLINE.match(t)][:1]
    return sorted(found, key=lambda t: not _PIPE_BYLINE.match(t))  # a "By X | Outlet |" first


def _short_blocks(doc: HtmlElement, limit: int) -> list[str]:
    """The texts of the first few hundred paragraphs and list items, those under the limit."""
    texts: list[str] = []
    for count, element in enumerate(doc.iter("p", "li", "em", "i")):
        if count > 600:
            break
        text = _text(element)
        if 0 < len(text) <= limit:
            texts.append(text)
    return texts


def _microdata_date(doc: HtmlElement) -> str:
    """schema.org microdata in the markup: any element with itemprop=datePublished."""
    for element in doc.xpath("//*[@itemprop='datePublished']")[:10]:
        iso = _iso(element.get("datetime") or element.get("content") or "")
        if iso:
            return iso
    return ""


def _time_element(doc: HtmlElement) -> str:
    """The publication time: a <time> marked as such (pubdate, itemprop, a class), else the first
    <time> inside an <article>, else the first on the page."""
    times = [t for t in doc.iter("time") if t.get("datetime")]
    marked = [t for t in times if t.get("pubdate") is not None or "publish" in " ".join(
        (t.get("itemprop") or "", t.get("class") or "")).lower()]
    in_article = [t for t in times if any(a.tag == "article" for a in t.iterancestors())]
    for candidate in (*marked, *in_article, *times[:1]):
        iso = _iso(candidate.get("datetime") or "")
        if iso:
            return iso
    return ""


def _canonical(doc: HtmlElement, page_url: str | None, fields: dict[str, Found]) -> None:
    """The canonical URL: link rel=canonical, og:url, the JSON-LD url, else the page's own
    address; made absolute and with tracking parameters removed."""
    jsonld_url = fields.pop("canonical", None)
    candidates = [(link.get("href") or "", "link rel=canonical") for link in doc.iter("link")
                  if "canonical" in (link.get("rel") or "").lower().split()]
    candidates += [(m.get("content") or "", "og:url") for m in doc.iter("meta")
                   if (m.get("property") or m.get("name") or "").lower() == "og:url"]
    if jsonld_url:
        candidates.append((jsonld_url.value, jsonld_url.origin))
    if page_url:
        candidates.append((page_url, "the page's address"))
    for href, origin in candidates:
        try:
            absolute = urljoin(page_url or "", href.strip()) if page_url else href.strip()
        except ValueError:  # "http://[::1": no URL can be made of it
            continue
        parts = parse_url(absolute)
        if parts is not None and parts.scheme in ("http", "https") and parts.netloc:
            fields["url"] = Found(strip_tracking(absolute), origin)
            break
    if "url" in fields and not page_url:
        _own_address(candidates, fields)


def _own_address(candidates: list[tuple[str, str]], fields: dict[str, Found]) -> None:
    """A saved page's own address when it names one on another host than its canonical URL
    (og:url on msn.com, canonical on businessinsider.com): the page is a republication, and
    the outlet module makes its site `via`."""
    canonical_host = _bare_host(fields["url"].value)
    for href, origin in candidates:
        host = _bare_host(href.strip())
        if origin == "og:url" and host and host != canonical_host:
            fields["page_url"] = Found(strip_tracking(href.strip()), origin)
            return


def _bare_host(url: str) -> str:
    parts = parse_url(url)
    host = ((parts.hostname if parts else None) or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _date_in_url(url: str) -> str:
    match = _URL_DATE.search(urlsplit(url).path)
    if not match:
        return ""
    try:
        found = date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return ""
    return found.isoformat() if _plausible(found) else ""


def _htmldate(doc: HtmlElement, page_url: str | None) -> str:
    """htmldate's guess from the page's markup only (extensive_search=False keeps it off the
    body text), the original publication date rather than the last update."""
    try:
        from htmldate import find_date

        found = find_date(_without_text(doc), extensive_search=False, original_date=True, url=page_url)
    except Exception:  # a third-party heuristic: whatever it trips on, the date is just not found
        return ""
    return _iso(found or "")


def _without_text(doc: HtmlElement) -> HtmlElement:
    """A copy of the page without its text blocks (paragraphs, list items, quotes, cells):
    htmldate reads "Published 2024-03-04." in a paragraph even without its extensive search,
    and a date in the article's text is not the article's date."""
    from copy import deepcopy

    from lxml import etree

    copy = deepcopy(doc)
    etree.strip_elements(copy, "p", "li", "blockquote", "td", "th", "pre", "figcaption", "dd",
                         with_tail=False)
    return copy


def _iso(value: str) -> str:
    """An ISO 8601 date (or a datetime with its offset) from the forms pages use, or "" when the
    value is not a plausible date."""
    value = value.strip()
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return ""
    if not _plausible(moment.date()):
        return ""
    if moment.tzinfo is None:
        # a time without an offset is ambiguous; the day is what the draft needs
        return moment.date().isoformat()
    return moment.isoformat()


def _plausible(day: date) -> bool:
    return date(1990, 1, 1) <= day <= date.today() + timedelta(days=2)
