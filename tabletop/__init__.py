"""tabletop: engine and terminal UI for multi-agency disaster tabletop exercises."""

__version__ = "0.1.0"
ENGINE_VERSION = __version__
