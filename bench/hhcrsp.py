"""HHCRSP benchmark (Mankowska instances) solved with the planner core, scored against best known.

    .venv/bin/python bench/hhcrsp.py solve INSTANCE.json --seconds 60 --out SOLUTION.json
    .venv/bin/python bench/hhcrsp.py score --seconds 60 --sizes 10,25 --jobs 2
    .venv/bin/python bench/hhcrsp.py score --seconds 60 --data bench/data/hhcrsp-unseen
    .venv/bin/python bench/hhcrsp.py check INSTANCE.json SOLUTION.json

score solves every instance of the chosen sizes (--sizes: the size bands of the summary, 10, 25,
50, 75, 100, 200, 300, 400 patients at most; in --jobs processes, one CP-SAT worker each),
checks each solution with the evaluator and prints a markdown table: cost, best known, ratio.
--data names another folder of instances with its best-known.md (by default the Mankowska set,
on which the solver was tuned; bench/data/hhcrsp-unseen holds published instances it never saw).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduling.planner.hhcrsp.evaluate import evaluate, evaluate_file
from scheduling.planner.hhcrsp.instance import load
from scheduling.planner.hhcrsp.solve import solve, to_json

SETS = Path(__file__).resolve().parent / "data" / "hhcrsp"


def best_known(folder: Path = SETS) -> dict[str, float]:
    costs = {}
    for line in (folder / "best-known.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) >= 5 and cells[0].endswith(".json"):
            costs[cells[0].removesuffix(".json")] = float(cells[4])
    return costs


BANDS = (10, 25, 50, 75, 100, 200, 300, 400)


def band(patients: int) -> int:
    """The benchmark's size an instance is summed up with: the first at least its patients."""
    return next((b for b in BANDS if patients <= b), patients)


def _natural(name: str) -> list[int | str]:
    """A name's sort key with its numbers as numbers: 25_2 before 25_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def size_of(path: Path) -> int:
    """The number of patients of an instance file."""
    return len(json.loads(path.read_text())["patients"])


def _one(args: tuple[str, float, int]) -> tuple[str, float, bool, float, list[str]]:
    path, seconds, workers = args
    instance = load(path)
    began = time.monotonic()
    plan = solve(instance, seconds, workers=workers)
    took = time.monotonic() - began
    result = evaluate(instance, to_json(instance, plan))
    return instance.name, result.cost, result.feasible, took, result.problems[:3]


def cmd_solve(args: argparse.Namespace) -> None:
    instance = load(args.instance)
    plan = solve(
        instance, args.seconds, workers=args.workers, on_solution=lambda c: print(f"cost {c:.3f}")
    )
    solution = to_json(instance, plan)
    Path(args.out).write_text(json.dumps(solution, indent=1))
    result = evaluate(instance, solution)
    print(
        f"{instance.name}: cost {result.cost:.3f} (distance {result.distance:.3f}, total tardiness "
        f"{result.total_tardiness:.3f}, max {result.max_tardiness:.3f}), feasible {result.feasible}"
    )
    for problem in result.problems:
        print("  ", problem)


def cmd_check(args: argparse.Namespace) -> None:
    result = evaluate_file(load(args.instance), args.solution)
    print(f"cost {result.cost:.3f} feasible {result.feasible}")
    for problem in result.problems:
        print("  ", problem)


def cmd_score(args: argparse.Namespace) -> None:
    folder = Path(args.data)
    known = best_known(folder)
    sizes = {int(s) for s in args.sizes.split(",")} if args.sizes else None
    size = {name: size_of(folder / "instances" / f"{name}.json") for name in known}
    names = sorted(
        (n for n in known if sizes is None or band(size[n]) in sizes),
        key=lambda n: (size[n], _natural(n)),
    )
    jobs = [
        (str(folder / "instances" / f"{n}.json"), args.seconds, max(1, 2 // args.jobs))
        for n in names
    ]
    print(f"Time limit {args.seconds:g} s per instance, {args.jobs} at a time.\n")
    print("| instance | cost | best known | ratio | feasible | seconds |")
    print("|:--|--:|--:|--:|:--|--:|")
    ratios: dict[int, list[float]] = {}
    with ProcessPoolExecutor(args.jobs) as pool:
        for name, value, feasible, took, problems in pool.map(_one, jobs):
            ratio = value / known[name] if known[name] else float("inf")
            ratios.setdefault(band(size[name]), []).append(ratio)
            print(
                f"| {name} | {value:.3f} | {known[name]:.3f} | {ratio:.3f} |"
                f" {'yes' if feasible else 'NO'} | {took:.0f} |"
            )
            if problems:
                print("<!--", "; ".join(problems), "-->")
            sys.stdout.flush()
    print("\n| patients (at most) | instances | mean ratio | worst ratio |")
    print("|--:|--:|--:|--:|")
    for patients, values in sorted(ratios.items()):
        mean = sum(values) / len(values)
        print(f"| {patients} | {len(values)} | {mean:.3f} | {max(values):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("solve")
    one.add_argument("instance")
    one.add_argument("--seconds", type=float, default=60.0)
    one.add_argument("--out", required=True)
    one.add_argument("--workers", type=int, default=2)
    one.set_defaults(run=cmd_solve)
    score = sub.add_parser("score")
    score.add_argument("--seconds", type=float, default=60.0)
    score.add_argument("--sizes", default="")
    score.add_argument("--jobs", type=int, default=2)
    score.add_argument("--data", default=str(SETS))
    score.set_defaults(run=cmd_score)
    check = sub.add_parser("check")
    check.add_argument("instance")
    check.add_argument("solution")
    check.set_defaults(run=cmd_check)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
