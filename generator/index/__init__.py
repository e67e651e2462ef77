"""Index: the chosen articles -> Site: home order, tags, sources, years/months/days, stories,
editions, related articles, and the story suggestions of `check --suggest-stories`.

Contract: pure; imports only core/, read/ and parse/. Its only memory across builds (related
articles) is handed in and out by the engine."""
