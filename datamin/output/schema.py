"""The Parquet schema of a retention class: `record_id`, the columns its rules declare, and a
`fields` map for kept fields without a column; its metadata names the policy and run, never
a value."""

from __future__ import annotations

import pyarrow as pa

from datamin import __version__
from datamin.policies.compiled import CompiledPolicy

ARROW_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def class_schema(policy: CompiledPolicy, retention: str, run_id: str) -> pa.Schema:
    fields = [pa.field("record_id", pa.string(), nullable=False)]
    fields += [pa.field(name, ARROW_TYPES[typ]) for name, typ in policy.columns[retention]]
    fields.append(pa.field("fields", pa.map_(pa.string(), pa.string())))
    duration = policy.policy.retention.classes[retention]
    metadata = {
        "datamin.version": __version__,
        "datamin.policy": policy.name,
        "datamin.policy_sha256": policy.sha256,
        "datamin.retention_class": retention,
        "datamin.retention": duration,
        "datamin.run_id": run_id,
    }
    return pa.schema(fields, metadata=metadata)
