"""What every reader of events shares: identifiers as people type them, the stored row of an
event, and the SimpleEventQuery's parameters read and checked once.
"""
