"""Tracking parameters in outbound links: found, reported by `digest check`, and removed from the
output unless `strip_tracking: false`."""

from __future__ import annotations

from urllib.parse import unquote_plus, urlsplit, urlunsplit

# Campaign and click identifiers of the analytics and ad platforms: they say who shared a link,
# never what it points to, so a page without them is the same page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "ysclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "igshid",
        "igsh",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "__hssc",
        "__hstc",
        "__hsfp",
        "hsctatracking",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "wickedid",
        "_openstat",
        "rb_clickid",
        "s_cid",
        "ref_src",
        "_ga",
        "_gl",
        "at_medium",
        "at_campaign",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")


def _is_tracking(name: str) -> bool:
    key = unquote_plus(name).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def tracking_params(url: str) -> list[str]:
    """The tracking parameters in an http(s) URL's query, as written, in order."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.query:
        return []
    names = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
    return [unquote_plus(n) for n in names if _is_tracking(n)]


def strip_tracking(url: str) -> str:
    """The URL without its tracking parameters; everything else (other parameters, their order
    and encoding, the fragment) stays as written."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.query:
        return url
    kept = [pair for pair in parts.query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0])]
    if len(kept) == len([p for p in parts.query.split("&") if p]):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(kept), parts.fragment))
