"""sitemap.xml (an index of sitemaps past 50,000 URLs) and robots.txt."""

from __future__ import annotations

from xml.sax.saxutils import escape

from .config import SiteConfig
from .urls import absolute, under

MAX_URLS = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _urlset(entries: list[tuple[str, str]]) -> bytes:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{_NS}">']
    for loc, lastmod in entries:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def sitemap_files(
    entries: list[tuple[str, str]], config: SiteConfig, max_urls: int = MAX_URLS
) -> dict[str, bytes]:
    """entries: (URL under the base path, lastmod or '') in output order."""
    absolute_entries = [(absolute(config.base_url, url), mod) for url, mod in entries]
    if len(absolute_entries) <= max_urls:
        return {under(config.base_path, "sitemap.xml"): _urlset(absolute_entries)}
    files: dict[str, bytes] = {}
    index = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{_NS}">']
    for n, start in enumerate(range(0, len(absolute_entries), max_urls), start=1):
        url = under(config.base_path, f"sitemap-{n}.xml")
        files[url] = _urlset(absolute_entries[start : start + max_urls])
        index.append(f"<sitemap><loc>{escape(absolute(config.base_url, url))}</loc></sitemap>")
    index.append("</sitemapindex>")
    files[under(config.base_path, "sitemap.xml")] = ("\n".join(index) + "\n").encode("utf-8")
    return files


def robots(config: SiteConfig) -> bytes:
    sitemap = absolute(config.base_url, under(config.base_path, "sitemap.xml"))
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()
