"""A fork server ("zygote") so commands start with everything already imported.

`sysdesign server start` runs a daemon that imports networkx, the pydantic models, Typer, Rich and
every served command's module once, then waits on a Unix socket in a private runtime folder. Each
served command (`commands.SERVED`) then sends its argv, cwd, environment, umask and its stdin,
stdout and stderr to the daemon, which forks a child that becomes that command: same streams,
same folder, same environment, own process group; it runs the normal entry point and exits with
the command's status, which the client exits with. Anything unusual (no server, a stale one, an
unsafe runtime folder, another installation's server, `SYSDESIGN_SERVER=off`) runs the command
in-process as before, silently.

Modules: `runtime` (where the socket lives, cheap: the client imports it), `protocol` (messages,
peer credentials), `client` (the launcher's side), `control` (start, stop, status), `daemon` (the
event loop), `child` (what a forked child does before it runs the command), `fingerprint`
(staleness), `preload` (what the daemon imports). Linux only (pidfds, SCM_RIGHTS, SO_PEERCRED).
"""

from __future__ import annotations
