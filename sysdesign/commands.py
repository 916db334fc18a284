"""Every `sysdesign` command: its name, its module under `sysdesign/cli/`, its help line.

Adding a command is one line in `COMMANDS`:

    "fmt": ("fmt", "Rewrite designs in canonical form."),

that is, `"name": (module under sysdesign/cli/, first paragraph of the command's docstring)`.
The module defines the command as usual with `@app.command()` on `sysdesign.cli.app.app`, and
imports at its top only what its commands need (heavy libraries used only sometimes: inside the
function). `sysdesign --help` is printed from this table without importing anything, and
`sysdesign NAME ...` imports only NAME's module. The table's order is the order of `--help`.
`tests/test_cli_registry.py` fails when a command is missing here, points at the wrong module,
or its help line drifts from its docstring. This module imports nothing: keep it that way.
"""

HELP = "System-design interview practice: validate, check, render and grade designs."

COMMANDS: dict[str, tuple[str, str]] = {
    "check": (
        "check",
        "Find what an interviewer would catch. Exit 1 on errors, 2 on invalid input.",
    ),
    "rules": (
        "check",
        "List every rule with its code, severity and title (--long: why and fix too).",
    ),
    "explain": (
        "check",
        "Explain one rule: what it checks, why an interviewer asks, how to fix it.",
    ),
    "checklist": (
        "checklist",
        "Write the rubric as a Markdown task list and one HTML page: auto items judged at every "
        "stage reached, your answers as `grade` counts them.",
    ),
    "drills": ("drills", "List the practice drills (reference designs) and your attempts."),
    "new": (
        "drills",
        "Scaffold an attempt in your workspace: attempts/NAME.yaml (and "
        "attempts/answers/NAME.yaml for self-grading). `--workspace` or SYSDESIGN_WORKSPACE puts "
        "the workspace elsewhere.",
    ),
    "compare": (
        "drills",
        "Yours against the reference, per stage only what changed there: layers, screens, "
        "unreached layers, rubric items, numbers side by side; findings once; estimates.",
    ),
    "fail": (
        "fail",
        "Fail every zone and every component in turn; print each blast radius, worst first.",
    ),
    "fmt": (
        "fmt",
        "Rewrite designs in the compact (default) or long form, keeping comments; the old text is"
        " kept as FILE.bak. Exit 1 with --check when a file would change, 2 on invalid input.",
    ),
    "grade": (
        "grade",
        "Grade an attempt at every stage it reached: auto items from the design, the rest from "
        "you (capped by what the design shows); record it.",
    ),
    "next": (
        "next",
        "What to practise next and why: weakest sections, items missed most, items due for review"
        " (spaced repetition) and drills not done recently.",
    ),
    "practice": (
        "practice",
        "A timed interview: prompt first, then requirements, estimates, design, deep dive with "
        "stage reveals and follow-up questions; re-checks on every save; graded and recorded.",
    ),
    "probe": (
        "probe",
        "Follow-up questions about THIS design, from its graph, figures and findings.",
    ),
    "progress": (
        "progress",
        "Show graded attempts; chart the overall score per drill over dates with the level bands, "
        "and each section as a small chart below.",
    ),
    "render": (
        "render",
        "Draw a design: overview, full view, each client's journey and the stage's diff.",
    ),
    "watch": (
        "watch",
        "Serve a live page on 127.0.0.1 that redraws the design each time you save it.",
    ),
    "rubric": (
        "rubric",
        "List the rubrics (validating each), or show one rubric's sections and items.",
    ),
    "import": (
        "sketch",
        "Turn a Mermaid flowchart into a compact design: nodes -> components (kinds guessed, each"
        " guess in a comment), --> sync and -.-> async flows, subgraphs -> groups. Exit 2 on a "
        "line it cannot read (file:line:col).",
    ),
    "validate": (
        "validate",
        "Check designs against the model; report every problem as file:line:col.",
    ),
    "schema": (
        "validate",
        "Print the JSON Schema of design files, for editor completion and validation.",
    ),
    "kinds": ("validate", "List the component kinds (the layer taxonomy)."),
    "profiles": (
        "validate",
        "List system profiles and the layers and safety screens each requires.",
    ),
    "server": (
        "server",
        "Keep a server that has imported everything, so commands start instantly (optional; "
        "Linux).",
    ),
}

# Commands a running `sysdesign server` may run (forked from it, see sysdesign/server/): those
# that never prompt, read a terminal or run for long. Not practice, watch, grade, nor server.
SERVED: frozenset[str] = frozenset(
    {
        "check",
        "rules",
        "explain",
        "checklist",
        "drills",
        "new",
        "compare",
        "fail",
        "fmt",
        "next",
        "probe",
        "progress",
        "render",
        "rubric",
        "import",
        "validate",
        "schema",
        "kinds",
        "profiles",
    }
)
