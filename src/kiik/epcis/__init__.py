"""EPCIS 2.0 itself: identifiers and GS1 keys, event facts and vocabulary, Event Hash IDs, the
JSON-LD and XML readers with their schema checks, and the parameters of the query language.
"""
