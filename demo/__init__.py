"""A believable demo world: two teams, their people, clients, care plans, this week's rota and
notes (`demo.world`), and the scale world of many teams built in bulk (`demo.scale`). Built by
`manage.py demo_data`; every record goes through the change feed. A Django app (for its
command) that nothing but that command, its tests and the benchmarks imports."""
