"""`watch`: a local page that redraws a design on every save (views and findings)."""

from __future__ import annotations

import time

import typer

from sysdesign.cli.app import app
from sysdesign.cli.common import fail_message, out
from sysdesign.paths import display_path, resolve_design_arg


@app.command()
def watch(
    design: str = typer.Argument(..., metavar="DESIGN", help="The design file (or id) to watch."),
    port: int = typer.Option(0, "--port", help="Port on 127.0.0.1 (default: a free one).", min=0),
    open_: bool = typer.Option(False, "--open", help="Open the page in your browser."),
) -> None:
    """Serve a live page on 127.0.0.1 that redraws the design each time you save it."""
    from sysdesign.watch import WatchServer

    path = resolve_design_arg(design)
    if not path.is_file():
        fail_message(f"{display_path(path)}: no such file")
    try:
        server = WatchServer(path, port, display_path(path)).start()
    except OSError as exc:
        fail_message(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}")
    out.print(f"watching {display_path(path)}: {server.url}  (Ctrl-C to stop)", markup=False)
    if open_:
        typer.launch(server.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        out.print("stopped", markup=False)
    finally:
        server.stop()
