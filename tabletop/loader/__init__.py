"""Loading scenarios and rule packs from TOML, with located, human-readable errors."""
