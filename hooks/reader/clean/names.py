"""Names: glued Latin names -> spaced (SamAltman -> Sam Altman), from seeds/corrections/names.yml.

Data flow: (line, rules) -> table.apply -> (line, edits). No name is guessed by code.
"""
from .table import fixer  # noqa: F401  (the stage is the table mechanism over its own table)
