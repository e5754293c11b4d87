"""Grader for the cross-border e-commerce operations practical exam (跨境电商运营).

The flow is intake → read → check → score → report::

    from grader import load_paper, grade_disc
    paper = load_paper()             # the default paper; or an id, or a rubric file
    run = grade_disc("/media/cdrom", paper, out="reports/cdrom")
"""
__version__ = "0.1.0"

from grader.paper import installed_papers, load_paper
from grader.pipeline import grade_disc

__all__ = ["__version__", "grade_disc", "installed_papers", "load_paper"]
