"""The hostility check: its code (`check.py`), its rules and data (`rules.toml`) and its tone scorer (`tone.py`)."""
