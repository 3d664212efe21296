"""A believable demo world: two teams, their people, clients, care plans, this week's rota and
notes. Built by `manage.py demo_data`; every record goes through the change feed."""

from careteams.demo.context import DEMO_DOMAIN, DEMO_PASSWORD
from careteams.demo.world import (
    DemoSummary,
    build_demo_world,
    demo_already_loaded,
    demo_rota_ends,
)

__all__ = [
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DemoSummary",
    "build_demo_world",
    "demo_already_loaded",
    "demo_rota_ends",
]
