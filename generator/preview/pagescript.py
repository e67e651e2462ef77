"""What the preview adds to the HTML pages it serves: the live-reload script, which reloads a page
(or swaps its stylesheets) when a new build is served, and the overlay that shows the errors of
a failed build over the last good one."""

from __future__ import annotations

import hashlib
import html
import json

from .routes import SPECIAL

OVERLAY_ID = "digest-overlay"
OVERLAY_TITLE = "digest: the build failed; this is the last good build"
_OVERLAY_STYLE = (
    "position:fixed;top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;"
    "margin:0;padding:1rem 1.25rem;background:#7a0d0d;color:#fff;font:14px/1.5 ui-monospace,"
    "SFMono-Regular,Menlo,Consolas,monospace;box-shadow:0 2px 12px rgba(0,0,0,.5);text-align:left"
)
_TITLE_STYLE = "margin:0 0 .5rem;font-weight:bold"
_LIST_STYLE = "margin:0;padding-left:1.25rem;white-space:pre-wrap"


def overlay_html(errors: tuple[str, ...]) -> str:
    """The overlay as served in pages loaded while the last build is failing (works without
    JavaScript; the script replaces or removes it as states arrive)."""
    items = "".join(f"<li>{html.escape(e)}</li>" for e in errors)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{_OVERLAY_STYLE}">'
        f'<p style="{_TITLE_STYLE}">{html.escape(OVERLAY_TITLE)}</p>'
        f'<ul style="{_LIST_STYLE}">{items}</ul></div>'
    )


def script_tag(base_path: str, build: str) -> str:
    # versioned by its text, so that a page reloaded after a build takes it from the browser's
    # cache instead of asking for it again (livereload.py serves it as immutable)
    src = html.escape(f"{base_path}{SPECIAL}livereload.js?v={SCRIPT_VERSION}")
    return f'<script src="{src}" data-build="{html.escape(build)}"></script>'


def inject(page: bytes, snippet: str) -> bytes:
    """Insert `snippet` before the last </body> (or at the end of a page without one)."""
    if not snippet:
        return page
    at = page.lower().rfind(b"</body>")
    data = snippet.encode("utf-8")
    return page + data if at < 0 else page[:at] + data + page[at:]


_SCRIPT = """\
// digest serve: reload this page when the preview is rebuilt; show build errors.
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me.getAttribute("data-build");
  var look = %(look)s;

  function showErrors(errors) {
    var old = document.getElementById(look.id);
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = look.id;
    box.setAttribute("role", "alert");
    box.style.cssText = look.box;
    var title = document.createElement("p");
    title.style.cssText = look.title;
    title.textContent = look.heading;
    var list = document.createElement("ul");
    list.style.cssText = look.list;
    errors.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      list.appendChild(item);
    });
    box.appendChild(title);
    box.appendChild(list);
    document.body.appendChild(box);
  }

  function swapStylesheets() {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      if (url.origin !== location.origin) return;
      url.searchParams.set("digest-reload", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = function () { link.remove(); };
      link.after(fresh);
    });
  }

  // the page is named, so that a build renders the pages open in a browser first
  var stream = new URL("events", me.src);
  stream.searchParams.set("page", location.pathname);
  var events = new EventSource(stream);
  events.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    if (state.build !== build) {
      if (state.css_only && state.previous === build) {
        swapStylesheets();
        build = state.build;
      } else {
        events.close();
        location.reload();
        return;
      }
    }
    showErrors(state.errors);
  });
})();
"""


def reload_script() -> bytes:
    look = {
        "id": OVERLAY_ID,
        "heading": OVERLAY_TITLE,
        "box": _OVERLAY_STYLE,
        "title": _TITLE_STYLE,
        "list": _LIST_STYLE,
    }
    return (_SCRIPT % {"look": json.dumps(look)}).encode("utf-8")


SCRIPT_VERSION = hashlib.blake2b(reload_script(), digest_size=6).hexdigest()
