"""Label rendering throughput: `python -m tests.benchmarks.labels [--labels N]`.

Renders N distinct 4x6 shipping labels (tracking Code 128, SSCC GS1-128, order QR) into
one PDF and into one ZPL stream, printing one JSON line per format. Targets: PDF at least
500 labels/s, ZPL at least 20,000 labels/s.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence

from app.documents.data import LabelData
from app.documents.render import render_label_pdf, render_label_zpl
from app.documents.samples import sample_label


def measure(fmt: str, render: Callable[[Sequence[LabelData]], bytes],
            labels: Sequence[LabelData]) -> dict[str, object]:
    """Time one render of all `labels` (after a one-label warm-up for fonts and caches).

    `cpu_seconds` is this process's CPU time: on a shared machine it shows what the wall
    clock would be without the neighbours."""
    render(labels[:1])
    started, cpu_started = time.perf_counter(), time.process_time()
    document = render(labels)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    assert document
    return {"format": fmt, "labels": len(labels), "seconds": round(seconds, 4),
            "labels_per_s": round(len(labels) / seconds, 1),
            "cpu_seconds": round(cpu_seconds, 4)}


def main(argv: Sequence[str] | None = None) -> None:
    """Print one JSON line for PDF and one for ZPL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=int, default=1000)
    args = parser.parse_args(argv)
    labels = [sample_label(number) for number in range(args.labels)]
    for fmt, render in (("pdf", render_label_pdf), ("zpl", render_label_zpl)):
        print(json.dumps(measure(fmt, render, labels)), flush=True)


if __name__ == "__main__":
    main()
