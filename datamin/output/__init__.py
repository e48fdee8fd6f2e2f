"""An output directory's lifecycle, Beam-free: where everything lives and how a file appears
(`layout`), how a run commits or leaves no trace (`commit`), one writer at a time (`lock`),
the schema of a class (`schema`), the encrypted raw quarantine (`rawquarantine`) and a run's
quarantine read back (`quarantine`), the token keys of each partition (`tokenkeys`), disposal
of what a retention class's time has run out on (`dispose`, each step audited) and
re-identification of tokens (`reidentify`)."""
