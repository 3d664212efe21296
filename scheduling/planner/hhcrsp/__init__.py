"""The HHCRSP benchmark (Mankowska instances): reading, evaluating and solving with the planner core."""
