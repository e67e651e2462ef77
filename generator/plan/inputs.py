"""A page to render, made from the inputs it declares: PagePlan.of(url, template, make_context,
*inputs) keeps the inputs and the context `make_context(*inputs)`. The page's key is made of
the same inputs (engine/pagekeys.py), so nothing the context holds can be missing from it, as
long as `make_context` reads nothing else: it must be a plain module-level function (no
closure, no default values, not a lambda; checked), read only its arguments and module
constants, and of an article only its card, not its body (`fp`, `body_html`, `body_key`,
`ref_urls`, `content`): inputs count by their cards unless the template reads a body."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, cached_property
from types import FunctionType
from typing import Any

MakeContext = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class PagePlan:
    """A page to render: its URL, template and inputs."""

    url: str  # under the base path
    template: str
    inputs: tuple[Any, ...]  # what `context` is made of: the page's key is made of them
    make_context: MakeContext
    # multilingual sites: the page's language ("" in one-language sites), and its versions in
    # every language (plan.languages.Translation), which templates see as `translations`
    lang: str = ""
    alternates: tuple[Any, ...] = ()
    # an article's page: its article (one of `inputs`), for what reads it of every page without
    # making their contexts (sitemaps' lastmod, aliases, a multilingual site's versions)
    article: Any = None

    @classmethod
    def of(
        cls, url: str, template: str, make_context: MakeContext, *inputs: Any, article: Any = None
    ) -> PagePlan:
        """The page whose context is `make_context(*inputs)` (see the module's docstring)."""
        _checked(make_context)
        assert article is None or inputs[1] is article or any(value is article for value in inputs)
        # a site has tens of thousands of pages, planned again on every save under serve: the
        # frozen dataclass's __init__ (a setattr per field) costs twice as much as filling the
        # instance's dict with the same fields (tests check that the two are equal)
        plan = object.__new__(cls)
        plan.__dict__.update(
            url=url,
            template=template,
            inputs=inputs,
            make_context=make_context,
            lang="",
            alternates=(),
            article=article,
        )
        return plan

    def but(self, lang: str | None = None, alternates: tuple[Any, ...] | None = None) -> PagePlan:
        """This page in another language or with its versions: the same context, if made."""
        new = replace(
            self,
            lang=self.lang if lang is None else lang,
            alternates=self.alternates if alternates is None else alternates,
        )
        if "context" in self.__dict__:
            new.__dict__["context"] = self.__dict__["context"]
        return new

    @cached_property
    def context(self) -> dict[str, Any]:
        """`make_context(*inputs)`, made when first read: planning makes none, so that `digest
        serve` renders the open pages (engine/emit.py) without making every other page's
        first, and a page whose key says it is unchanged may never need its own. The plan's
        `article`, when it has one, is the context's "article" (engine/emit.py reads it there)."""
        context = self.make_context(*self.inputs)
        if self.article is not None and context.get("article", self.article) is not self.article:
            raise ValueError(f"{self.url}: the plan's article is not its context's 'article'")
        return context


@cache  # a site has thousands of pages and a dozen makers
def _checked(make_context: MakeContext) -> bool:
    check_maker(make_context)
    return True


def check_maker(make_context: MakeContext) -> None:
    """Refuse a context maker that could hold an input the plan does not declare."""
    name = getattr(make_context, "__qualname__", repr(make_context))
    if type(make_context) is not FunctionType:
        raise TypeError(f"{name}: a page's context is made by a plain function")
    module = sys.modules.get(make_context.__module__)
    if (
        make_context.__closure__ is not None
        or getattr(module, make_context.__name__, None) is not make_context
    ):
        raise TypeError(
            f"{name}: a page's context is made by a module-level function, not a closure or lambda"
        )
    if make_context.__defaults__ or make_context.__kwdefaults__:
        raise TypeError(f"{name}: a default value would be an input the page does not declare")
