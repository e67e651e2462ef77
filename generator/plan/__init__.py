"""Plan: Site -> the list of pages to render (PagePlan: URL, template, and the inputs its context
is made from), with the template-facing types (PageInfo, Pagination, Period) and JSON-LD.

Contract: pure; imports only earlier stages. A page's context is a function of the inputs it
declares, and nothing else, so its key can be computed from them.

inputs.py: PagePlan.of, which makes a context of the declared inputs. pages.py and periods.py:
each kind of page's planner (which finds its inputs in the site) and context maker. context.py:
what templates see besides the site's objects, and PageSettings. jsonld.py: schema.org data."""
