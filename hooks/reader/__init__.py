"""The pure core of the reader edition: importable and tested without MkDocs.

Stages, one module each: read -> clean -> structure -> script -> annotate -> render.
"""
