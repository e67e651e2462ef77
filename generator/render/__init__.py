"""Render: a PagePlan through the theme's Jinja2 templates -> bytes, and the outputs made from
the whole site: feeds (Atom, RSS, JSON Feed), sitemaps, robots.txt, sources.opml, the email
edition and the Pagefind search index.

Contract: functions from plans and the site to bytes; imports only earlier stages. It writes
nothing into the output folder (the write stage does), and template errors come back as
located diagnostics (TemplateProblem)."""
