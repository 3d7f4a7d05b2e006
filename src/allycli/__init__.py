"""ally: a habit tracker and reflection journal for practicing allyship."""

__version__ = "0.1.0"
