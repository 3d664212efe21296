"""The HHCRSP benchmark (Mankowska instances): read, evaluate, solve with the planner core."""
