"""Textual terminal UI of tabletop: ``tabletop play``.

Only this package and :mod:`tabletop.cli.play` import Textual; the headless
core never imports it.
"""
