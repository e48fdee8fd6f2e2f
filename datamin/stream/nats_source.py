"""A NATS JetStream stream as a datamin source.

The runner's position is the stream sequence of the last message it committed. On start the
durable consumer is deleted and created again to deliver from the next sequence: whatever the
broker remembers of an earlier consumer (acknowledged or not) is not trusted, since a batch can
be committed and the process killed before its acknowledgement. Messages are pulled (at most
`max_ack_pending` unacknowledged: the broker's backpressure) and acknowledged one by one once
their batch is committed; one delivered again at or below the committed sequence (an
acknowledgement lost with a connection) is acknowledged and skipped.

The client runs on an event loop of its own in a background thread, so it keeps answering the
server while the runner minimizes a batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Coroutine, Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from datamin.errors import InputError
from datamin.stream.sources import Message

T = TypeVar("T")
DEFAULT_DURABLE = "datamin"
# Seconds the broker waits for an acknowledgement before it would deliver a message again; far
# above a batch's time, so a redelivery means a lost connection, not a slow batch.
ACK_WAIT_SECONDS = 600.0
_CALL_TIMEOUT = 30.0
CONNECT_SECONDS = 5.0


class NatsSource:
    def __init__(
        self,
        server: str,
        stream: str,
        *,
        durable: str = DEFAULT_DURABLE,
        subject: str | None = None,
        user: str | None = None,
        password: str | None = None,
        max_ack_pending: int = 2000,
        ca_file: str | None = None,
    ) -> None:
        self.server = server  # scheme://host:port, no credentials
        self.stream = stream
        self.durable = durable
        self.subject = subject
        self.name = f"{server}/{stream}"
        self.identity = f"nats {server}/{stream} durable={durable} subject={subject or ''}"
        self.max_ack_pending = max_ack_pending
        self._user, self._password = user, password
        self._ca_file = ca_file
        self._committed = 0
        self._created: str | None = None  # when the stream was created, as its position says
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._nc: Any = None
        self._js: Any = None
        self._sub: Any = None

    @classmethod
    def from_url(cls, url: str, *, max_ack_pending: int = 2000) -> NatsSource:
        parts = urlsplit(url)
        stream = parts.path.strip("/")
        if not parts.hostname or not stream or "/" in stream:
            raise InputError("a NATS source is nats://HOST:PORT/STREAM[?durable=NAME&subject=S]")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        unknown = sorted(set(query) - {"durable", "subject", "ca"})
        if unknown:
            raise InputError(f"unknown NATS source option(s): {', '.join(unknown)}")
        try:
            port = parts.port or 4222
        except ValueError:
            raise InputError("the NATS source's port is not a number") from None
        return cls(
            f"{parts.scheme}://{parts.hostname}:{port}",
            stream,
            durable=query.get("durable", DEFAULT_DURABLE),
            subject=query.get("subject"),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            max_ack_pending=max_ack_pending,
            ca_file=query.get("ca"),
        )

    # -- the source protocol ----------------------------------------------------------------

    def start(self, position: Mapping[str, Any] | None) -> None:
        committed = position.get("stream_seq") if position else 0
        self._committed = committed if isinstance(committed, int) and committed > 0 else 0
        created = position.get("stream_created") if position else None
        self._created = created if isinstance(created, str) else None
        self._call(self._start())

    def fetch(self, max_records: int, max_wait: float) -> list[Message]:
        import nats.errors

        try:
            wait = max(max_wait, 0.01)
            # The call waits longer than the fetch itself, so a fetch is never left running.
            msgs = self._call(self._sub.fetch(max_records, timeout=wait), wait + _CALL_TIMEOUT)
        except (nats.errors.TimeoutError, TimeoutError):
            return []
        batch, stale = [], []
        for m in msgs:
            seq = m.metadata.sequence.stream
            if seq <= self._committed:
                stale.append(m)
                continue
            ts = m.metadata.timestamp
            batch.append(Message(seq, m.data, ts.timestamp() if ts else None, m))
        if stale:
            self._call(self._ack([m for m in stale]))
        return batch

    def position_after(self, batch: list[Message]) -> dict[str, Any]:
        last = max((m.seq for m in batch), default=self._committed)
        return {"stream_seq": last, "stream_created": self._created}

    def acknowledge(self, batch: list[Message]) -> None:
        if batch:
            self._committed = max(self._committed, max(m.seq for m in batch))
            self._call(self._ack([m.where for m in batch]))

    def lag(self) -> tuple[int, str] | None:
        """Messages the stream holds beyond the committed sequence."""
        try:
            info = self._call(self._js.stream_info(self.stream))
        except Exception:  # noqa: BLE001 - a status figure only; the next fetch tells errors
            return None
        return max(0, int(info.state.last_seq) - self._committed), "messages"

    def close(self) -> None:
        if self._nc is not None:
            with contextlib.suppress(Exception):
                self._call(self._nc.close(), timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)

    # -- on the client's loop -----------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = _CALL_TIMEOUT) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _start(self) -> None:
        import nats
        import nats.errors
        import nats.js.errors
        from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

        async def quiet(_: Exception) -> None:  # the client's own log can quote a subject
            return None

        client: Any = None
        try:
            # A server that refuses the connection is told at once (the client would retry).
            host, port = urlsplit(self.server).hostname, urlsplit(self.server).port
            _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), CONNECT_SECONDS)
            writer.close()
            # Reconnects without end once connected (a broker restart is waited out); the
            # first connection is given CONNECT_SECONDS.
            tls = self.server.startswith("tls://")
            client = _tls_only_client() if tls else nats.NATS()
            await asyncio.wait_for(
                client.connect(
                    servers=[self.server],
                    user=self._user,
                    password=self._password,
                    connect_timeout=2,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    error_cb=quiet,
                    **({"tls": ssl.create_default_context(cafile=self._ca_file)} if tls else {}),
                ),
                CONNECT_SECONDS,
            )
            self._nc = client
        except Exception as exc:  # noqa: BLE001 - told in one line, by class
            if getattr(client, "offered_no_tls", False):
                raise InputError(
                    f"the NATS server {self.server} offers no TLS: nothing was sent to it"
                ) from None
            raise InputError(
                f"cannot reach the NATS server {self.server} ({type(exc).__name__})"
            ) from None
        self._js = self._nc.jetstream()
        try:
            info = await self._js.stream_info(self.stream)
        except nats.js.errors.NotFoundError:
            raise InputError(f"no JetStream stream {self.stream} on {self.server}") from None
        created = info.created.isoformat() if info.created else None
        reset = int(info.state.last_seq) < self._committed or (
            self._created is not None and created is not None and created != self._created
        )
        if self._committed and reset:
            # Its sequence numbers started again: the next ones are at or below the committed
            # position, and every one would be skipped as read, silently.
            raise InputError(
                f"the JetStream stream {self.stream} was created again since this runner's "
                "position: its messages would be skipped. Start from its beginning under a new "
                "durable name (?durable=NAME)"
            )
        self._created = created
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await self._js.delete_consumer(self.stream, self.durable)
        start = (
            {
                "deliver_policy": DeliverPolicy.BY_START_SEQUENCE,
                "opt_start_seq": self._committed + 1,
            }
            if self._committed
            else {"deliver_policy": DeliverPolicy.ALL}
        )
        config = ConsumerConfig(
            durable_name=self.durable,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ACK_WAIT_SECONDS,
            max_ack_pending=self.max_ack_pending,
            filter_subject=self.subject,
            **start,
        )
        await self._js.add_consumer(self.stream, config=config)
        self._sub = await self._js.pull_subscribe_bind(durable=self.durable, stream=self.stream)

    async def _ack(self, msgs: list[Any]) -> None:
        for m in msgs:
            await m.ack()
        await self._nc.flush()


def _tls_only_client() -> Any:
    """A NATS client that goes no further with a server whose greeting offers no TLS: the
    client library upgrades to TLS only when the server asks for it, so a `tls://` source would
    otherwise send its user and password in clear to whatever answers at that address."""
    import nats.errors
    from nats.aio.client import Client

    class TlsOnly(Client):  # type: ignore[misc]
        offered_no_tls = False

        async def _process_info(
            self, info: dict[str, Any], initial_connection: bool = False
        ) -> None:
            if not info.get("tls_required"):
                self.offered_no_tls = True
                raise nats.errors.Error("the server offers no TLS")
            await super()._process_info(info, initial_connection)

    return TlsOnly()
