"""The streaming runner (`datamin stream`): micro-batches from NATS JetStream or growing log
files, minimized by the same core as `datamin run` and committed effectively once. See
`datamin.stream.runner` for the commit protocol and `datamin.stream.sources` for sources."""

from datamin.stream.runner import StreamResult, StreamSettings, committed_position, stream

__all__ = ["StreamResult", "StreamSettings", "committed_position", "stream"]
