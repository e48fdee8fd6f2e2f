"""The runner of a local batch run: Beam's FnApiRunner, chosen directly.

Beam 2.77's `DirectRunner` tries Prism first for any pipeline Prism supports, and Prism is a Go
binary it downloads from GitHub when none is installed: every local run attempted a network
fetch (refused on machines without network, 0.1 s later, before falling back), and on a machine
with network it would fetch and run that binary, a runner the project has never tested. The
fallback it lands on for a batch pipeline is the FnApiRunner with the pipeline's options in its
provision info; this runner is that, without the first try. `--runner=...` after `--` still
chooses any other runner, `DirectRunner` included.
"""

from __future__ import annotations

from typing import Any

from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.runner import PipelineRunner

LOCAL_RUNNER = f"{__name__}.LocalRunner"


class LocalRunner(PipelineRunner):
    """The FnApiRunner, in-process or over `--direct_num_workers` local processes
    (`--direct_running_mode=multi_processing`), as the DirectRunner would build it."""

    def run_pipeline(self, pipeline: Any, options: PipelineOptions) -> Any:
        from apache_beam.portability.api import beam_provision_api_pb2
        from apache_beam.runners.portability.fn_api_runner import fn_runner
        from apache_beam.runners.portability.portable_runner import JobServiceHandle

        encoded = JobServiceHandle.encode_pipeline_options(options.get_all_options())
        provision = fn_runner.ExtendedProvisionInfo(
            beam_provision_api_pb2.ProvisionInfo(pipeline_options=encoded)
        )
        return fn_runner.FnApiRunner(provision_info=provision).run_pipeline(pipeline, options)
