"""Widgets of the terminal UI (data goes down as attributes, events go up as messages)."""
