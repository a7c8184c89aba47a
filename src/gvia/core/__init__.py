"""The pure core: rules as plain Python. No Django, no I/O, no clock.

"Today" is always a parameter. Everything here runs in milliseconds in tests.
"""
