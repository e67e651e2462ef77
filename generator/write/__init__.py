"""Write: bytes -> the output folder. Files are staged, then applied in an order that keeps
every page's links working at each moment, unchanged bytes are not rewritten, stale files are
pruned, and a failed build leaves the previous output as it was. Also the link checker of
`digest check`, which reads what would be written.

Contract: imports only earlier stages; the only stage that touches the output folder."""
