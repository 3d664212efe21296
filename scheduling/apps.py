from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = "Rota and visits"

    def ready(self) -> None:
        # Declares this app's records in the entity registry (careteams.registry).
        # The header's sections of a team's pages (careteams/context_processors.py).
        from careteams import hooks
        from scheduling import client_visits, entities  # noqa: F401
        from scheduling.nav import team_sections
        from scheduling.selectors import week_refresh
        from scheduling.selectors.team_day import team_day_counts

        hooks.register_nav(team_sections)
        # The week's rule results kept current after each write that can change them.
        hooks.register_plan_changed(week_refresh.plan_changed)
        # The team home page's count of today's visits (careteams/selectors.py).
        hooks.register_team_day(team_day_counts)
        # Members land on their day after signing in (careteams/selectors.py).
        hooks.register_member_landing("scheduling:my-day")
        # What the client pages read of the visits (clients/hooks.py).
        client_visits.install()
