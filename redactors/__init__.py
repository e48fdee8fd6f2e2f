"""Detection (what is sensitive, where) and redaction operators (what to do about it)."""
