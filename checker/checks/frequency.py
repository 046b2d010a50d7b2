"""Contact-frequency check (issue 4): only runs when the caller names an employer (``to=``)."""
from __future__ import annotations


def run(ctx):
    if not ctx.options.get("to"):
        return None
    raise NotImplementedError("the contact-frequency check is not built yet")
