"""Trade's rules, plain Python: culls, meat lots and their yields, the pack check, sales."""
