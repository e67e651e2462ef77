"""`digest import SOURCE...`: a copied or saved news page becomes a clean draft article.

A stage in front of `read/`: it turns raw material (pasted text, a saved or fetched `.html`
page) into an article file that the rest of the pipeline reads like any other. It loads the
source (a file, standard input or a URL), extracts the main text (HTML through trafilatura, in
the optional `import` extra; plain text through digest's own line filter), finds the metadata
with where each field came from, matches the outlet against sources.yaml, checks the site for
coverage it already has (the same URL, nearly the same text, the same story), and writes the
draft with the writer `digest new` uses. It writes nothing else and never overwrites a file."""
