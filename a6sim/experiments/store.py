"""A sweep's folder: finished runs kept in chunks as they come, the result files at the end.

While a sweep runs, every few seconds the runs finished since the last chunk are
written to ``DIR/.partial-runs/chunk-NNNNNN.parquet`` (written beside, then renamed:
a chunk is whole or absent). ``--resume`` reads them back and runs only what is
missing, so an interruption loses at most the runs of the last few seconds. At the
end ``runs.parquet``, ``summary.csv``, ``sensitivity.csv``, ``sweep.yaml``,
``scenario.yaml`` and ``manifest.json`` (last) are each written atomically and the
chunks are removed. A folder that holds neither a sweep nor nothing is never used.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..io.textfile import write_bytes_atomically
from ..io.write import OutputError

__all__ = ["SweepFolder", "PARTIAL"]

PARTIAL = ".partial-runs"
KIND = "a6sim-sweep"


def _table_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


class SweepFolder:
    """The ``--out`` folder of a sweep."""

    def __init__(self, out: str | Path):
        self.out = Path(out)
        self.partial = self.out / PARTIAL
        self._n = 0

    def manifest(self) -> dict | None:
        try:
            data = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("kind") == KIND else None

    def check(self, digest: str, resume: bool) -> None:
        """Refuse a folder that is not a sweep's, or holds another unfinished sweep (before any run)."""
        out = self.out
        if out.exists() and not out.is_dir():
            raise OutputError(f"{out} exists and is not a folder")
        if not out.exists() or not any(out.iterdir()):
            return
        state = self._state()
        if state is None and self.manifest() is None:
            raise OutputError(f"{out} exists and does not hold an a6sim sweep; choose another --out folder")
        if state is not None and not resume:
            raise OutputError(f"{out} holds an unfinished sweep ({self.done_count()} runs kept); "
                              f"continue it with --resume, or choose another --out folder")
        if state is not None and state.get("digest") != digest:
            raise OutputError(f"{out} holds an unfinished run of another sweep (its file, scenario or "
                              f"sensitivity differ); choose another --out folder")

    def _state(self) -> dict | None:
        try:
            return json.loads((self.partial / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def start(self, digest: str, total: int) -> None:
        self._made = [p for p in (self.out, self.partial) if not p.exists()]   # what abandon() may remove
        self.partial.mkdir(parents=True, exist_ok=True)
        if self._state() is None:
            write_bytes_atomically(self.partial / "state.json",
                                   json.dumps({"digest": digest, "total": total}).encode())
        self._n = len(list(self.partial.glob("chunk-*.parquet")))

    def abandon(self) -> None:
        """Undo :meth:`start` when the sweep stopped before any run finished (a Dask
        scheduler out of reach, Ctrl+C while the workers start): the folders it made, with
        the state file, are removed, so the same command can simply be given again. Only
        a folder it made, holding no chunk, is removed; never anything else."""
        if any(self.partial.glob("chunk-*.parquet")):
            return
        for folder in reversed(getattr(self, "_made", [])):
            if folder == self.partial:
                (self.partial / "state.json").unlink(missing_ok=True)
            try:
                folder.rmdir()   # only when empty
            except OSError:
                return

    def done_count(self) -> int:
        return sum(pq.read_metadata(p).num_rows for p in self.partial.glob("chunk-*.parquet"))

    def kept(self, schema: pa.Schema) -> pa.Table | None:
        """The runs finished earlier (chunks of this sweep), or None."""
        tables = [pq.read_table(p, schema=schema) for p in sorted(self.partial.glob("chunk-*.parquet"))]
        return pa.concat_tables(tables) if tables else None

    def add_chunk(self, table: pa.Table) -> None:
        while (self.partial / f"chunk-{self._n:06d}.parquet").exists():
            self._n += 1
        write_bytes_atomically(self.partial / f"chunk-{self._n:06d}.parquet", _table_bytes(table))
        self._n += 1

    def finish(self, runs: pa.Table, texts: dict[str, str], manifest: dict) -> None:
        """Write the result files (manifest last), then drop the chunks."""
        self.out.mkdir(parents=True, exist_ok=True)
        old = self.manifest() or {}
        write_bytes_atomically(self.out / "runs.parquet", runs_bytes(runs))
        for name, text in texts.items():
            write_bytes_atomically(self.out / name, text.encode("utf-8"))
        for stale in set(old.get("files", [])) - set(manifest["files"]):
            if stale in ("sensitivity.csv",):   # a file an earlier sweep wrote here, not the user's
                (self.out / stale).unlink(missing_ok=True)
        write_bytes_atomically(self.out / "manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
        shutil.rmtree(self.partial, ignore_errors=True)


def runs_bytes(runs: pa.Table) -> bytes:
    """``runs.parquet`` as bytes: the same runs give the same bytes, whoever ran them."""
    return _table_bytes(runs)
