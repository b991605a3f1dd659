"""Monitoring: saiga census and offtake plans that justify the harvest, and camera traps at
border-fence passages (Camtrap DP packages, detection rates, alerts)."""
