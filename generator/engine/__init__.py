"""Engine: what makes a rebuild cheap and a crash harmless, and nothing else: the keys of every
page and of the whole site, the templates' dependencies, all persistent state in the site's
cache folder (parse cache, rendered bodies, the record of the last build, related-article
memory; state.py alone names it and reads and writes its files), the crash-safe worker pool
that parsing and rendering share, and the test hooks.

Contract: it calls the stages (parse, render, write) and decides what must run again; the
stages never import it: they are given the paths and the loaded state they need. An
incremental build is the same build with work skipped, never a second path, and its output is
byte-identical to a clean build's."""
