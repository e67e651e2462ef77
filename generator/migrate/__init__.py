"""`digest migrate SOURCE_DIR`: bring a Pelican, Jekyll, Hugo, Zola, Eleventy or Docusaurus
blog over into a digest site.

It detects the generator, reads the posts where that generator keeps them (by its own rules
and config), maps their front matter to digest's keys, converts the other generator's body
syntax where digest has an equivalent and reports the rest with file and line, copies the
files posts use into `static/`, and keeps every old URL as an alias. The source folder is only
ever read."""
