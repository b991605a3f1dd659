"""The species register: taxa, their dated rules (a ban, export under quota), penalties under the
Criminal Code, and the CITES export quotas with their yearly balances.
"""
