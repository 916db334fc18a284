"""`sysdesign watch`: a local page beside the editor that redraws the design on every save."""

from sysdesign.watch.server import WatchServer
from sysdesign.watch.state import snapshot

__all__ = ["WatchServer", "snapshot"]
