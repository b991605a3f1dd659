"""Organisations, sites and tokens as the ministry manages them; a token turned into a principal;
what a principal may read.
"""
