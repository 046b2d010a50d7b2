"""Options that several commands take, each defined once: ``--kind``, ``--config`` and the
contact log's ``--db``."""

from __future__ import annotations

from ..kinds import AUTO, KINDS

CONTACTS_DB_HELP = (
    "contact log database (default: $FOLLOWUP_DB or $XDG_DATA_HOME/followup-checker/contacts.db)"
)
CONFIG_HELP = "TOML config: thresholds, rules on/off, severities"


def add_kind(p, help: str) -> None:
    """``--kind``: a message kind, or ``auto`` (inferred from the text)."""
    p.add_argument("--kind", choices=(*KINDS, AUTO), default=AUTO, help=help)


def add_config(p, help: str = CONFIG_HELP) -> None:
    """``--config FILE``: the checker's TOML config."""
    p.add_argument("--config", metavar="FILE", help=help)


def add_db(p, help: str = CONTACTS_DB_HELP, **kwargs) -> None:
    """``--db PATH``: the database (default: the contact log's)."""
    p.add_argument("--db", metavar="PATH", help=help, **kwargs)
