"""An output directory's lifecycle after a run writes it: disposal of what a retention class's
time has run out on (`dispose`: data partitions, quarantine runs, the raw quarantine, token keys,
each step audited) and re-identification of tokens (`reidentify`). Beam-free."""
