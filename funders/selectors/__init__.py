"""Reads of the funders app: analyses of a conference, its charts, and INS-FUNDERS compliance."""
