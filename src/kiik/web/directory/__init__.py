"""People, organisations, their sites, and one's own account: the administrator's and everyone's pages."""
