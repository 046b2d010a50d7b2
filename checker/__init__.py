"""followup-checker: tone and etiquette checks for post-interview thank-you notes and follow-ups.

>>> import checker
>>> report = checker.check("Dear Ms. Lee, thank you for your time today ...")
>>> report.to_dict()["verdict"]
"""

from .api import check, check_many
from .config import Config, ConfigError
from .report import SCHEMA, Finding, Report

__all__ = ["check", "check_many", "Config", "ConfigError", "Finding", "Report", "SCHEMA"]
__version__ = "0.1.0"
