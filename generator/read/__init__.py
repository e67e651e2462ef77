"""Read: the site's own input files, validated: digest.yaml (SiteConfig), sources.yaml, stories.yaml,
the list of article files under content/ and their bytes decoded as text; and the one input
from outside the site, where the Pagefind executable is (pagefind.py).

Contract: imports only core/. Problems are located diagnostics (file, line, what to do); a
problem that stops the build (an unreadable digest.yaml) is a ConfigError."""
