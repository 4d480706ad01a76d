"""What a lesson is: its declaration, typed parameters and self-ticking tries (no engine)."""
