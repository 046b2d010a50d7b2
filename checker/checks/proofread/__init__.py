"""The proofread check: its code (`check.py` and helpers), its rules and data (`rules.toml`), and the compact dictionary (`common.txt.gz and words.txt`, `words.NOTICE.md`)."""
