"""`egress-guard watch`: System Log detections for the breach pattern and risky admin changes.

| module | concern |
| --- | --- |
| `event` | reading raw LogEvents (nulls, strings for booleans, maps rendered as text) |
| `detection` | the `Detection` interface, `Alert`, trusted ranges, the context detections share |
| `detections/` | one module per detection (see docs/watch.md) |
| `engine` | dispatch by event type, de-duplication by uuid, severity floor, state in and out |
| `windows` | sliding-window counters for threshold detections |
| `sources` | the System Log API (polling and bounded reads) or an exported file |
| `state` | the state file: cursor, seen uuids, correlation state, pending alerts |
| `run` | one run: pages through the engine, the state as an outbox, the sinks |
| `trusted` | the config's resolved egress set (locked sources: nothing fetched) |
| `report`, `formats/` | the run's result and its formats (text, json, ndjson, sarif, markdown) |
| `sinks/` | GitHub issue and Slack-compatible webhook |
| `respond` | the dry-run-first responses to an alert |
"""
