"""``python -m grader.samples OUT [PAPER]``: write a demo disc (same as ``grade sample``)."""
import sys

from grader.paper import load_paper
from grader.samples import write_demo_disc

if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: python -m grader.samples OUT [PAPER]")
    write_demo_disc(sys.argv[1], load_paper(sys.argv[2] if len(sys.argv) > 2 else None))
    print(f"demo disc written to {sys.argv[1]}")
