"""Every permission, role and read scope, declared once in plain Python."""
