"""Reading inputs (readers) and turning them into clean Articles (normalize)."""
