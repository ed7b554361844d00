"""Tables of the newsroom app."""
