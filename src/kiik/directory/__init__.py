"""Who uses the registry: organisations, their sites and API tokens, and what each role may see and
do (permissions declared once, read scopes decided in one place).
"""
