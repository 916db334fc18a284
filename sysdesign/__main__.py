"""`python -m sysdesign`."""

from sysdesign.launcher import main

main()
