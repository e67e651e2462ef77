"""Plan: Site -> the list of pages to render (PagePlan: URL, template, and the inputs its context
is made from), with the template-facing types (PageInfo, Pagination, Period) and JSON-LD.

Contract: pure; imports only earlier stages. A page's context is a function of the inputs it
declares, and nothing else, so its key can be computed from them."""
