"""CLI sub-commands, one module each (see generator.cli.COMMAND_MODULES)."""
