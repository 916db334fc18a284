"""Follow-up questions about one design, from a question bank kept as data.

    questions = probe(design, stage, reference)   # in bank order, the same every time

The bank is `sysdesign/data/questions.yaml`; the figures come from the design's own graph and
checks (`facts.gather`), never invented: a missing figure becomes a question asking for it.
"""

from sysdesign.probe.bank import Bank, QuestionSpec, load_bank, parse_bank
from sysdesign.probe.generate import Question, probe, questions_for, reference_discussion

__all__ = [
    "Bank",
    "Question",
    "QuestionSpec",
    "load_bank",
    "parse_bank",
    "probe",
    "questions_for",
    "reference_discussion",
]
