"""Data model: rule packs, scenarios, commands, events and exercise state (pydantic v2)."""
