"""Core: the data every stage shares (Article, Site, Diagnostic) and pure functions over it
(dates, URLs, fingerprints, YAML nodes with lines, language tags).

Contract: no file, network or process I/O, and no import from any other part of digest. Every
other stage may import it."""
