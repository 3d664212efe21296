"""Every write of the rota: shifts, absences, visits, patterns, weeks, swaps."""
