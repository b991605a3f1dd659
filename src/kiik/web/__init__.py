"""Server-rendered pages for people, calling the same services as the API."""
