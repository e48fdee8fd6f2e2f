"""datamin: keep only what is needed of API traffic and message archives.

This package holds what every layer shares: errors, keys and leak-proof logging. Detection and
operators live in `redactors`, the policy model in `policies`, Beam pipelines and the CLI in
`pipelines`.
"""

__version__ = "0.1.0"
