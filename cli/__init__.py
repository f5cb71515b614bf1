"""Command-line front end: the `sprechstunde` command and its subcommands."""
