"""`datamin eval`: datamin and plain Presidio on labelled corpora (`run`): the project's own
generator (`datamin.sample`) and public ones built from permissively licensed material
(`public`, `templates_dev`, `templates_frozen`; licences in `corpora/`), scored in issue 11's
categories (`categories`)."""
