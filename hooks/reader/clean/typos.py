"""Typos and editorial corrections the editor is sure of (ChatGTP -> ChatGPT), from
seeds/corrections/typos.yml.

Data flow: (line, rules) -> table.apply -> (line, edits).
"""
from .table import fixer  # noqa: F401
