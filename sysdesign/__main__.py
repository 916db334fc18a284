"""`python -m sysdesign`."""

from sysdesign.cli import main

main()
