"""sysdesign: system-design interview practice as typed component graphs."""

__version__ = "0.1.0"
