"""Loading scenarios and rule packs from TOML with located, collected problems."""

from tabletop.loader.game import find_rules, load_game, load_rules

__all__ = ["find_rules", "load_game", "load_rules"]
