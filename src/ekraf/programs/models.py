"""Tables of the programs app."""
