"""One module per document kind: each turns options into a written PDF."""
