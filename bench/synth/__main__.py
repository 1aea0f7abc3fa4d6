"""``python -m bench.synth --events N --actors M --out FILE.db [--seed S]``:
write a synthetic database (see ``bench/synth/__init__.py``). Run from the
project folder; a mistake is one line on stderr and exit code 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))  # the project folder: store/


def main(argv: list[str] | None = None) -> int:
    from store.database import StoreError

    from bench.synth import write_synthetic

    parser = argparse.ArgumentParser(prog="python -m bench.synth",
                                     description="write a deterministic synthetic database for benchmarks")
    parser.add_argument("--events", type=int, required=True, metavar="N")
    parser.add_argument("--actors", type=int, required=True, metavar="M")
    parser.add_argument("--out", required=True, metavar="FILE.db")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    args = parser.parse_args(argv)
    try:
        path = write_synthetic(args.out, events=args.events, actors=args.actors, seed=args.seed)
    except (StoreError, ValueError, OSError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.events} synthetic events by {args.actors} actors to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
