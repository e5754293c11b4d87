"""The records the readers make and the checks and reports share.

A reader turns a candidate's bytes into one of these: a workbook's sheets with every value at its
cell (``tables``), the images folder with each file's measures (``images``), the service folder's
mailbox and texts (``service``), a plain folder's listing (``folders``). Each is a frozen
dataclass that pickles, so a worker can hand it on and the cache can keep it. Checks import these,
never a reader; nothing here imports ``grader.read``.
"""
