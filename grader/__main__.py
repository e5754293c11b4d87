"""``python -m grader DISC``: the ``grade`` command, for when the Scripts folder is not on PATH."""
from grader.cli import main

main(prog_name="grade")
