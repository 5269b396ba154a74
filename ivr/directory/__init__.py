"""The GP practice directory: stored practices, live matching, `flask practices import`."""
