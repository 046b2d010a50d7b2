"""Sub-commands of the followup CLI; each is a thin shell over the core API."""
