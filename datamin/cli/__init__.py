"""The command line: thin typer commands; the work they ask for lives in its own domain."""
