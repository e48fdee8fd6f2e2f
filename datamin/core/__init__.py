"""The per-record core, with no pipeline in it: a record's fields (`structure`, `forms`,
`pairs`, `strictjson`), the minimizer that detects, applies the policy and yields rows by
retention class or a quarantine entry (`minimize`), typed values (`values`), counts (`stats`)
and what `explain` traces (`trace`). Beam pipelines (`datamin.pipelines`), the Python API
(`datamin.api`) and the policy tools (`datamin.policies`) all run records through it.
"""
