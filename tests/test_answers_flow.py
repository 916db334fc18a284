"""Answers flow: `new` writes the file, `grade` reads it by default and writes back what was typed
(atomically, keeping earlier answers and comments), `checklist` shows the same answers."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from sysdesign.cli import app
from sysdesign.rubric import load_answers, load_rubric
from sysdesign.rubric.answers import AnswersNotSaved, save_answers
from sysdesign.rubric.models import AnswerEntry
from sysdesign.shorthand import long_form_data

runner = CliRunner()


def _env(project: Path) -> dict[str, str]:
    return {
        "SYSDESIGN_ROOT": str(project),
        "SYSDESIGN_WORKSPACE": str(project / "attempts"),
        "SYSDESIGN_HISTORY": str(project / "h.sqlite3"),
    }


def test_grade_reads_the_answers_file_and_writes_back_what_was_typed(project: Path) -> None:
    env = _env(project)
    assert runner.invoke(app, ["new", "mine", "--from", "qortex"], env=env).exit_code == 0
    answers = project / "attempts" / "answers" / "mine.yaml"
    text = answers.read_text(encoding="utf-8")
    text = text.replace("  ten-x:\n    answer:\n", "  ten-x:\n    answer: partly\n", 1)
    answers.write_text(text, encoding="utf-8")
    rubric = load_rubric("qortex", project / "rubrics")
    pending = [i for i in rubric.items if i.kind == "self"]
    # the near-empty scaffold: every answer is floored, nothing is asked
    result = runner.invoke(app, ["grade", "mine", "--ask", "--no-record"], env=env, input="")
    assert result.exit_code == 0, result.output
    assert "items to judge yourself" not in result.output
    assert "floor: the design draws 0 components" in result.output
    # a real design: copy the reference's body into the attempt, keep its id
    ref = long_form_data((project / "designs" / "qortex.yaml").read_text(encoding="utf-8"))
    ref["id"], ref["drill"] = "mine", "qortex"
    (project / "attempts" / "mine.yaml").write_text(yaml.safe_dump(ref), encoding="utf-8")
    # asked: the self items but ten-x (answered in the file), and trade-offs-discussed (the
    # reference accepts no finding, its stage discussions are the evidence)
    asked = len(pending) - 1 + 1
    typed = "y\n" * asked
    result = runner.invoke(app, ["grade", "mine", "--ask", "--no-record"], env=env, input=typed)
    assert result.exit_code == 0, result.output
    assert f"{asked} items to judge yourself" in result.output
    assert "note (optional)" not in result.output  # notes only with --notes
    assert f"{asked} answers written to" in result.output
    saved = answers.read_text(encoding="utf-8")
    assert "# Self-grading answers for rubric qortex" in saved  # comments kept
    data = load_answers(answers, rubric).answers  # YAML 1.2: `yes` stays a string
    assert data["ten-x"].answer == "partly"  # the earlier answer kept
    assert all(data[i.id].answer == "yes" for i in pending if i.id != "ten-x")
    # the next grade asks nothing and scores the same
    again = runner.invoke(app, ["grade", "mine", "--ask", "--no-record"], env=env, input="")
    assert "items to judge yourself" not in again.output
    assert "ten-x" not in again.output.split("Study next:")[0].split("not answered")[-1]
    # checklist renders the same answers
    listed = runner.invoke(app, ["checklist", "mine", "-o", str(project / "out")], env=env)
    assert listed.exit_code == 0, listed.output
    markdown = (project / "out" / "checklist.md").read_text(encoding="utf-8")
    assert "you: partly" in markdown and "Your answers: " in markdown
    overall = next(ln for ln in again.output.splitlines() if ln.startswith("Overall "))
    assert overall.split()[1].rstrip(":") in markdown


def test_save_answers_keeps_other_answers_and_refuses_a_broken_file(tmp_path: Path) -> None:
    rubric = load_rubric("general", Path(__file__).parent.parent / "rubrics")
    path = tmp_path / "a.yaml"
    path.write_text(
        "# mine\nanswers:\n  ten-x: {answer: no, note: keep me}\n  consistency:\n", "utf-8"
    )
    written = save_answers(
        path,
        rubric,
        {"consistency": AnswerEntry(answer="yes"), "alternatives": AnswerEntry(answer=None)},  # type: ignore[arg-type]
        minutes=40,
    )
    assert written == ["consistency"]
    data = load_answers(path, rubric)
    assert data.answers["ten-x"].answer == "no" and data.answers["ten-x"].note == "keep me"
    assert data.answers["consistency"].answer == "yes"
    assert data.minutes == 40 and path.read_text("utf-8").startswith("# mine")
    broken = tmp_path / "b.yaml"
    broken.write_text("answers: [unclosed\n", "utf-8")
    try:
        save_answers(broken, rubric, {"ten-x": AnswerEntry(answer="yes")})  # type: ignore[arg-type]
    except AnswersNotSaved as exc:
        assert "cannot read" in str(exc)
    else:
        raise AssertionError("a broken answers file was overwritten")
    assert broken.read_text("utf-8") == "answers: [unclosed\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml"]  # no temp files
