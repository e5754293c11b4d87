def failures(paper):
    return []
