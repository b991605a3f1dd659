"""The `kiik` command (Typer): one module per group of commands, each calling the same services."""
