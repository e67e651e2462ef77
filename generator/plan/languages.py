"""A multilingual site's pages: each language's own (plan_pages over that language's Site, with
that language's settings), every page marked with its language and linked to its versions in
the other languages (`alternates`: one core.model.Translation per configured language).

An article's versions are the articles with its translation key; any other page's are the
pages at the same path under each language's prefix (/tags/war/ and /ru/tags/war/). A language
without a version of the page is linked to its home, for the language switcher; hreflang links
name only the versions that exist."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.groups import Site
from ..core.model import Article
from ..core.urls import absolute, under
from ..read.config import SiteConfig
from .aliases import TEMPLATE as ALIAS_TEMPLATE
from .aliases import Redirect, redirect_page
from .inputs import PagePlan
from .pages import plan_pages
from .periods import KeptPeriods


@dataclass(frozen=True)
class Translation:
    """One language's version of a page, for hreflang links and the language switcher (the
    `translations` of a multilingual site's every page, one per configured language)."""

    lang: str  # BCP 47: zh-CN
    name: str  # the language's name in itself: Русский
    dir: str  # ltr | rtl
    url: str  # under the base path: this page in that language, else that language's home
    abs_url: str
    exists: bool  # False: the page has no version in that language (url is that language's home)
    default: bool  # the site's default language (x-default)
    # (the page's own is the one whose `lang` is site.language: every version of a page has
    # the same tuple, made once)


class Versions(tuple[Translation, ...]):
    """A page's versions (`alternates`): one tuple shared by all versions of a page, whose repr
    (what page keys are made of) is made once."""

    def __repr__(self) -> str:
        shown: str | None = self.__dict__.get("shown")
        if shown is None:
            shown = self.__dict__["shown"] = super().__repr__()
        return shown


def plan_site(
    sites: dict[str, Site], config: SiteConfig, kept: dict[str, KeptPeriods] | None = None
) -> list[PagePlan]:
    """Every page of the site: `sites` maps each language to its Site ("" for a one-language
    site, whose pages are planned as they always were). `kept`: each language's period pages
    of the last build (periods.py), under `digest serve`."""

    def periods(lang: str) -> KeptPeriods | None:
        return kept.setdefault(lang, KeptPeriods()) if kept is not None else None

    if not config.multilingual:
        return plan_pages(sites[""], config, periods(""))
    by_lang: dict[str, list[PagePlan]] = {}
    for lang in config.languages:
        made = plan_pages(sites[lang.code], config.for_language(lang.code), periods(lang.code))
        by_lang[lang.code] = [plan.but(lang=lang.code) for plan in made]
    keys = {
        lang.code: [_group_key(p, lang.prefix, config.root_path) for p in by_lang[lang.code]]
        for lang in config.languages
    }
    groups = _versions(by_lang, keys, config)
    shared: dict[str, tuple[Translation, ...]] = {"": ()}  # group key -> its versions; a redirect: none
    plans: list[PagePlan] = []
    default = config.languages[0]
    if default.prefix:  # prefix_default_language: the site's root sends readers to its home
        home = under(config.root_path, default.prefix)
        target = Redirect(config.root_path, absolute(config.root_url, home), config.title, default.code)
        plans.append(redirect_page(target).but(lang=default.code))
    for lang in config.languages:
        for plan, key in zip(by_lang[lang.code], keys[lang.code], strict=True):
            alternates = shared.get(key)
            if alternates is None:
                alternates = shared[key] = _translations(groups.get(key) or {}, config)
            plans.append(plan.but(alternates=alternates))
    return plans


def _group_key(plan: PagePlan, prefix: str, root: str) -> str:
    """What a page's versions in other languages share: its article's translation key, or its
    path with the language's prefix taken off."""
    if plan.template == ALIAS_TEMPLATE:
        return ""  # a redirect has no versions
    article = plan.article
    if plan.template == "article.html" and isinstance(article, Article):
        return "article:" + article.translation_key if article.translation_key else ""
    rest = plan.url[len(root) :] if plan.url.startswith(root) else plan.url
    if prefix and rest.startswith(prefix):
        rest = rest[len(prefix) :]
    return "page:" + rest


def _versions(
    by_lang: dict[str, list[PagePlan]], keys: dict[str, list[str]], config: SiteConfig
) -> dict[str, dict[str, str]]:
    """group key -> language -> the URL of that language's version."""
    groups: dict[str, dict[str, str]] = {}
    for lang in config.languages:
        for plan, key in zip(by_lang[lang.code], keys[lang.code], strict=True):
            if key:
                groups.setdefault(key, {}).setdefault(lang.code, plan.url)
    return groups


def _translations(versions: dict[str, str], config: SiteConfig) -> tuple[Translation, ...]:
    out = []
    for lang in config.languages:
        url = versions.get(lang.code) or under(config.root_path, lang.prefix)
        out.append(
            Translation(
                lang=lang.code,
                name=lang.name,
                dir=lang.dir,
                url=url,
                abs_url=absolute(config.root_url, url),
                exists=lang.code in versions,
                default=lang.code == config.language,
            )
        )
    return Versions(out)
