"""Analyses: the numbers a design view implies, computed once and read by everything else.

The pipeline is YAML -> model -> view -> graph -> analyses -> rules -> renders/grading. Rules,
renders, probes, grading and the practice session read one `Analyses` per view and scale (from
`analyses_for`) instead of recomputing traffic or latency themselves.
"""

from sysdesign.analyses.core import Analyses, analyses_for

__all__ = ["Analyses", "analyses_for"]
