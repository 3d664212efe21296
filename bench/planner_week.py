"""The planner on a team week (12 members, 400 visits): time to a plan, visits placed, rules kept.

.venv/bin/python bench/planner_week.py [--seconds 10] [--members 12] [--visits 400]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.planner_data import team_week
from scheduling.planner.check import violations
from scheduling.planner.prepare import prepare
from scheduling.planner.solve import plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--visits", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    data = team_week(args.members, args.visits, args.seed)
    marks: list[tuple[float, str]] = []
    began = time.monotonic()
    result = plan(
        data,
        seconds=args.seconds,
        on_progress=lambda share, words: marks.append((time.monotonic() - began, words)),
    )
    prep = prepare(data)
    items = [list(f) for f in prep.fixed]
    index = {v.id: k for k, v in enumerate(data.visits)}
    for p in result.proposals:
        for m in p.member_ids:
            items[prep.member_index[m]].append(prep.item_of_visit(index[p.visit_id]))
    broken = sum(len(violations(prep, i, s)) for i, s in enumerate(items))
    slots = sum(v.carers_needed for v in data.visits)
    print(
        f"{args.members} members, {args.visits} visits ({slots} carer slots),"
        f" limit {args.seconds} s"
    )
    for at, words in marks[:3] + marks[-2:]:
        print(f"  {at:6.2f} s  {words}")
    print(f"status {result.status}, {result.seconds} s, objective {result.objective:.0f}")
    print(
        f"proposals {len(result.proposals)}, left open {len(result.unassignable)},"
        f" rules broken {broken}"
    )
    print("open by rule:", dict(Counter(u.rule for u in result.unassignable)))
    if result.proposals:
        print("example reasons:", "; ".join(result.proposals[0].reasons))
    if result.unassignable:
        print("example open:", result.unassignable[0].reason)


if __name__ == "__main__":
    main()
