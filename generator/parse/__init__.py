"""Parse: one article file's text -> Parsed (an Article, or the located problems that stop it):
front matter checked key by key, Markdown rendered by comrak (markdown-it-py where comrak fails),
sanitised, headings, images, links and code made right.

Contract: pure per file (text and settings in, Parsed out); imports only core/ and read/.
Caching and running files in parallel are the engine's."""
