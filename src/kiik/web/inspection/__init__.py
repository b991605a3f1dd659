"""An item's page and what follows a look at it: the inspector's verdict and map, the pack check,
seizures, the reviewer's alerts and cases."""
