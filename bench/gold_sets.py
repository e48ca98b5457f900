"""The shared gold sets the benchmarks score: where each one's files are in ../shared."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

SETS = {  # name: (gold claims, articles, gold disagreements)
    "seeds": ("gold/seeds.claims.jsonl", "seeds", "gold/seeds.conflicts.jsonl"),
    "dev": ("dev/gold.claims.jsonl", "dev/articles", "dev/conflicts.jsonl"),
    "more": ("dev/more/gold.claims.jsonl", "dev/more/articles", "dev/more/conflicts.jsonl"),
}
