"""Keeping the line's data sound: the spool and its replay after a database fault, retention."""
