"""Permit tables and store, the PDF in the layout of the CITES form, and what an importing
country's authority may read (items exported to it).
"""
