"""The team's own pages: settings, members and roles, meetings and decisions, figures over time,
help from the coach."""
