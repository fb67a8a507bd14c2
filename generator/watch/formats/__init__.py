"""Alert formats for stdout or `--output`: one class per format behind `AlertFormat`."""

from __future__ import annotations

from generator.watch.formats.base import AlertFormat, StreamingFormat
from generator.watch.formats.json_formats import JsonFormat, NdjsonFormat
from generator.watch.formats.markdown import MarkdownFormat
from generator.watch.formats.sarif import SarifFormat
from generator.watch.formats.text import TextFormat

FORMATS: dict[str, AlertFormat] = {
    f.name: f for f in (TextFormat(), JsonFormat(), NdjsonFormat(), SarifFormat(), MarkdownFormat())
}
STREAMING = frozenset(n for n, f in FORMATS.items() if isinstance(f, StreamingFormat))
__all__ = ["FORMATS", "STREAMING", "AlertFormat", "StreamingFormat"]
