"""gvia — collect late payments without wrecking the relationship."""

__version__ = "0.1.0"
