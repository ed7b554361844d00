"""Tables of the talent app."""
