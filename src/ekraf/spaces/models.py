"""Tables of the spaces app."""
