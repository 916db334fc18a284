"""The practice session: a timed, progressive interview round in the terminal.

clock      injectable session clock (SpeedClock for --speed, ManualClock for tests)
phases     the five phases, their minutes (defaults, user config file, --phase)
reveal     what a blind attempt hides and when it is revealed; the overlay that is checked
state      the session's state file beside the attempt (resume, end-of-session comparison)
engine     phases on the clock, stage reveals, keys: no terminal, no threads
status     re-validate and re-check the attempt at the stage revealed so far
watcher    watchfiles on the attempt; re-checks in a worker thread
screen     the live screen (rich)
terminal   single keys in cbreak mode; SIGTERM/SIGHUP and a closed terminal end it early
report     end of session: checks per stage, grade, side by side, record in the history
run        start / resume / the loop
"""
