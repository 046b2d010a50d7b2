"""Check modules: each has run(ctx) -> section dict | None."""
