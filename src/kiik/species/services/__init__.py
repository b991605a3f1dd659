"""Editing the register and the quotas (every edit audited), and the species rule applied at capture."""
