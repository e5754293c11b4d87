"""Number formats the paper checks that python-stdnum does not ship, written in its style.

Each module is one format with the same verbs as stdnum's: ``compact``, ``calc_check_digit``,
``validate`` (returns the compact number or raises a ``stdnum.exceptions.ValidationError``
subclass) and ``is_valid``.
"""
