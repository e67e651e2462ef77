"""Preview: `digest serve`. A file watcher and a live-reload HTTP server that take the one
build() as a callable: a save triggers a rebuild, page requests wait while one runs, and the
browser reloads when it is done. Never a second rebuild path.

Contract: imports build() and the stages below it, never the CLI."""
