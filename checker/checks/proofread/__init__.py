"""The proofread check: its code (`check.py` and helpers), its rules and data (`rules.toml`), and the compact dictionary (`words.txt.gz`, `words.NOTICE.md`)."""
