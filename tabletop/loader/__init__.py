"""Loading scenarios and rule packs from TOML with located, collected problems."""

from tabletop.loader.game import PROJECT_ROOT, find_rules, load_game, load_rules

__all__ = ["PROJECT_ROOT", "find_rules", "load_game", "load_rules"]
