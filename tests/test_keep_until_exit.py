"""A one-shot command leaves what it made for the process's end (`keep_until_exit`)."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref


class Held:
    """A weak-referenceable stand-in for a loaded design."""


def test_kept_objects_outlive_their_last_reference_until_unfrozen() -> None:
    from sysdesign.cli.common import keep_until_exit

    held = Held()
    probe = weakref.ref(held)
    keep_until_exit(held, [held])
    del held
    gc.collect()
    assert probe() is not None  # frozen: no collection looks at it
    gc.unfreeze()  # what the in-process runner does after a command
    gc.collect()
    assert probe() is None  # ordinary cyclic garbage again


def test_interpreter_shutdown_does_not_free_them() -> None:
    code = (
        "import gc, os\n"
        "from sysdesign.cli.common import keep_until_exit\n"
        "class Loud:\n"
        "    def __del__(self, write=os.write):\n"
        "        write(1, b'freed ' + type(self).__name__.encode())\n"
        "class Plain(Loud): pass\n"
        "keep_until_exit(Loud())\n"
        "gc.disable()\n"
        "plain = [Plain()]; plain.append(plain); del plain\n"  # a cycle shutdown does free
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert run.stdout == b"freed Plain"
