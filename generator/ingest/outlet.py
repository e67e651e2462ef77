"""Which outlet wrote the story (`source`) and which site it was found on (`via`), from the
fields an extractor found, matched against sources.yaml. Shared by the HTML and text paths.

The page's own site is, in this order: the canonical (or fetched) URL's host against the
outlets' `domains`, then og:site_name / the publisher, then a masthead line, each against names
and `aliases` (a masthead only when registered). The outlet that wrote it is the one the page
names (a byline's `| Mirror |`, a JSON-LD author organisation, "originally appeared in …").
When both are known and differ, the page is a republication: source is the writer, via the
page's site."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.urls import parse_url
from ..read.sources import Outlet, Registry
from .model import Found


@dataclass(frozen=True)
class Outlets:
    source: Found | None
    via: Found | None


def by_domain(url: str, registry: Registry) -> Outlet | None:
    host = _host(url)
    if not host:
        return None
    for outlet in registry.outlets:
        for domain in outlet.domains:
            d = domain.lower().strip().lstrip(".")
            if d and (host == d or host.endswith("." + d)):
                return outlet
    return None


def _named(found: Found, registry: Registry, what: str) -> Found:
    if found.value.strip().lower().startswith(("http://", "https://")):  # og:site_name as a URL
        found = Found(_host(found.value.strip()), found.origin)
    outlet = registry.lookup(found.value)
    if outlet is None:
        return Found(" ".join(found.value.split()), f"{found.origin} (not in sources.yaml)")
    how = "name" if outlet.name.casefold() == found.value.casefold().strip() else f"alias {found.value!r}"
    return Found(outlet.name, f"{found.origin}, sources.yaml {how}{what}")


def page_site(fields: dict[str, Found], registry: Registry) -> Found | None:
    """The site the page was published on."""
    for key in ("url", "page_url"):
        if key in fields:
            outlet = by_domain(fields[key].value, registry)
            if outlet is not None:
                parts = parse_url(fields[key].value)
                host = (parts.hostname if parts else None) or ""  # as written: www. and all
                origin = "canonical URL" if key == "url" else "page URL"
                return Found(outlet.name, f"{origin} {host}, sources.yaml domain")
    for key in ("site_name", "masthead"):
        if key in fields and registry.lookup(fields[key].value) is not None:
            return _named(fields[key], registry, "")
    if "site_name" in fields:  # unregistered, yet the page says it: kept as written
        return _named(fields["site_name"], registry, "")
    # an unregistered masthead may be a section name ("World news"): not trusted; the host is
    for key in ("url", "page_url"):
        if key in fields and _host(fields[key].value):
            origin = "canonical URL host" if key == "url" else f"{fields[key].origin} host"
            return Found(_host(fields[key].value), f"{origin} (not in sources.yaml)")
    return None


def _host(url: str) -> str:
    parts = parse_url(url)
    host = ((parts.hostname if parts else None) or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _syndicated(fields: dict[str, Found], registry: Registry) -> Found | None:
    """The outlet of the canonical URL when the page's own address is on another host: a
    republisher points its canonical link at the original."""
    if "url" not in fields or "page_url" not in fields:
        return None
    host, own = _host(fields["url"].value), _host(fields["page_url"].value)
    if not host or not own or host == own:
        return None
    return page_site({"url": fields["url"]}, registry)


def decide(fields: dict[str, Found], registry: Registry) -> Outlets:
    site = page_site(fields, registry)
    writer = _named(fields["outlet"], registry, "") if "outlet" in fields else None
    if writer is None and (writer := _syndicated(fields, registry)) is not None:
        site = page_site({k: v for k, v in fields.items() if k != "url"}, registry)
    if writer is None:
        return Outlets(site, None)
    if site is None or site.value.casefold() == writer.value.casefold():
        return Outlets(writer, None)
    return Outlets(writer, site)
