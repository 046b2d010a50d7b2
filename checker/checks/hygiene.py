"""hygiene check: being written."""


def run(ctx):
    return None
