"""schema.org JSON-LD of article and story pages, safe inside a <script> element."""

from __future__ import annotations

import json
from typing import Any, Protocol

from markupsafe import Markup

from ..core.dates import rfc3339
from ..core.groups import StoryGroup
from ..core.model import Article


class Publisher(Protocol):
    """The site as JSON-LD names it (PageSettings, SiteConfig)."""

    @property
    def title(self) -> str: ...

    @property
    def base_url(self) -> str: ...


class LazyJsonLd:
    """An article's JSON-LD, built only when a template prints it: most pages of an
    incremental build are never rendered, so building it in the plan would be wasted."""

    __slots__ = ("_article", "_publisher")

    def __init__(self, article: Article, publisher: Publisher) -> None:
        self._article = article
        self._publisher = publisher

    def __html__(self) -> str:
        return str(article_json_ld(self._article, self._publisher))

    def __str__(self) -> str:
        return self.__html__()

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:  # made twice from the same inputs: equal
        if not isinstance(other, LazyJsonLd):
            return NotImplemented
        return self._article == other._article and self._publisher == other._publisher

    def __hash__(self) -> int:
        return hash(self._article.path)

    def __repr__(self) -> str:  # what fingerprints see: the article's card decides the content
        return f"LazyJsonLd({self._article.card_fp})"


def article_json_ld(article: Article, publisher: Publisher) -> Markup:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": article.abs_url,
        "mainEntityOfPage": article.abs_url,
        "datePublished": rfc3339(article.date),
        "dateModified": rfc3339(article.updated or article.date),
        "inLanguage": article.lang,
        "sourceOrganization": {"@type": "NewsMediaOrganization", "name": article.source.name},
        "publisher": {"@type": "Organization", "name": publisher.title, "url": publisher.base_url},
    }
    if article.source.homepage:
        data["sourceOrganization"]["url"] = article.source.homepage
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in article.authors]
    else:
        data["author"] = {"@type": "Organization", "name": article.source.name}
    if article.tags:
        data["keywords"] = [t.name for t in article.tags]
    if article.image:
        data["image"] = article.image
    return safe_json(data)


def story_json_ld(story: StoryGroup, url: str) -> Markup:
    """schema.org ItemList of a story's coverage, in time order; `url`: the story page's, absolute."""
    items = []
    for position, article in enumerate(story.articles, start=1):
        item: dict[str, Any] = {
            "@type": "NewsArticle",
            "headline": article.title,
            "url": article.abs_url,
            "datePublished": rfc3339(article.date),
            "inLanguage": article.lang,
            "sourceOrganization": {"@type": "NewsMediaOrganization", "name": article.source.name},
        }
        if article.source.homepage:
            item["sourceOrganization"]["url"] = article.source.homepage
        if article.source_url:
            item["isBasedOn"] = article.source_url
        items.append({"@type": "ListItem", "position": position, "item": item})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": story.title,
        "url": url,
        "numberOfItems": len(items),
        "itemListOrder": "https://schema.org/ItemListOrderAscending",
        "itemListElement": items,
    }
    if story.description:
        data["description"] = story.description
    return safe_json(data)


def safe_json(data: Any) -> Markup:
    """JSON that cannot end its <script> element or open a comment, whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)
