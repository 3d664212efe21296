"""The planner on a team week (12 members, 400 visits): time to a plan, visits placed, rules kept.

.venv/bin/python bench/planner_week.py [--seconds 10] [--members 12] [--visits 400]
    [--window MINUTES] [--homes]
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
from scheduling.planner.prepare import Item, prepare
from scheduling.planner.solve import plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--visits", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--window", type=int, default=0, help="minutes each visit may start after its time"
    )
    parser.add_argument("--homes", action="store_true", help="members start the day from home")
    args = parser.parse_args()
    data = team_week(args.members, args.visits, args.seed, window=args.window, homes=args.homes)
    marks: list[tuple[float, str]] = []
    began = time.monotonic()
    result = plan(
        data,
        seconds=args.seconds,
        on_progress=lambda share, words: marks.append((time.monotonic() - began, words)),
    )
    prep = prepare(data)
    items = [list(f) for f in prep.fixed]
    visits = {v.id: v for v in data.visits}
    for p in result.proposals:
        v = visits[p.visit_id]
        start, end = p.start or v.start, p.end or v.end
        item = Item(v.id, prep.minutes(start), prep.minutes(end), v.location, None)
        for m in p.member_ids:
            items[prep.member_index[m]].append(item)
    broken = sum(len(violations(prep, i, s)) for i, s in enumerate(items))
    slots = sum(v.carers_needed for v in data.visits)
    print(
        f"{args.members} members, {args.visits} visits ({slots} carer slots),"
        f" limit {args.seconds} s"
    )
    for at, words in marks[:3] + marks[-2:]:
        print(f"  {at:6.2f} s  {words}")
    print(f"status {result.status}, {result.seconds} s, objective {result.objective:.0f}")
    moved = sum(1 for p in result.proposals if p.start)
    print(
        f"proposals {len(result.proposals)} ({moved} moved in their window),"
        f" left open {len(result.unassignable)}, rules broken {broken}"
    )
    print("open by rule:", dict(Counter(u.rule for u in result.unassignable)))
    if result.proposals:
        print("example reasons:", "; ".join(result.proposals[0].reasons))
    if result.unassignable:
        print("example open:", result.unassignable[0].reason)


if __name__ == "__main__":
    main()
