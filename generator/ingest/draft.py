"""The draft article an import writes: its front matter in the usual key order, with comments
for what the curator must check, and the body the extractor left."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..parse import frontmatter

DATE_NOT_FOUND = "not found in the source, set to the import time"


@dataclass
class Draft:
    title: str
    date: datetime
    body: str
    source: str
    via: str = ""
    source_url: str = ""
    author: str = ""
    lang: str = ""
    tags: list[str] = field(default_factory=list)
    story: str = ""
    date_found: bool = True
    # written as `# story: KEY`, exactly the line to uncomment (why is said on stderr)
    suggested_story: str = ""
    # a multilingual site's language the page is in: the draft goes under its folder
    site_lang: str = ""

    def text(self) -> str:
        fields: dict[str, object] = {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "via": self.via,
            "source_url": self.source_url,
            "author": self.author,
            "lang": self.lang,
            "tags": self.tags,
            "story": self.story,
            "draft": True,
            "summary": "",
        }
        comments: dict[str, str] = {}
        if not self.date_found:
            comments["date"] = DATE_NOT_FOUND
        if self.suggested_story and not self.story:
            comments["story"] = self.suggested_story
        return frontmatter.write(fields, self.body, comments, keep_empty=("summary",))
