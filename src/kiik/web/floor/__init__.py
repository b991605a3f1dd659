"""The floor's daily work: receive and ship by scanning, processing, customs, the harvest team's
field sheets."""
