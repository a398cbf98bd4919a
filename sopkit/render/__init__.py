"""Renderers: turn analysis results into text, documents and pictures.

Renderers import the models and the analysis, never the reverse, and return
strings or bytes; writing files is left to the caller.
"""
