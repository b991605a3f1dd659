"""What the API and the pages share over HTTP: the request's registry and the authenticated actor."""
