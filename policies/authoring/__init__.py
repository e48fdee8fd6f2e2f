"""Tools for policy authors: explain one record, run a policy's cases, diff two policies, and
the views notebooks show. They run the same core as `datamin run`, on a few records."""
