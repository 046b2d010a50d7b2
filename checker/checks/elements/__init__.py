"""The elements check: its code (`check.py`), its rules and data (`rules.toml`) and its helpers."""
