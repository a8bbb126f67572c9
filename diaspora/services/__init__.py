"""Use cases. The only layer that commits; it takes plain values and raises domain errors."""
