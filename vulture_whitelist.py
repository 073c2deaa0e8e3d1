"""Names vulture cannot see used (`make lint` passes this file to vulture with the code).

Keep it short: a name belongs here only when something outside Python calls sees it."""

# matching_engine (checked at 60 % confidence): the CLI's entry points are called by typer
# and by the `mentorat` console script; the app reads domain labels (mentorat.reference).
_root  # typer callback of the `mentorat` command
match  # `mentorat match`
main  # [project.scripts] mentorat
domain_label  # mentorat/reference/rome.py
check_validity  # Result's public checks, for tests and audits of a matching
check_stability
max_time_in_seconds  # OR-Tools CP-SAT parameters, read by the solver (rounds)
num_workers

# mentorat (checked at 80 % confidence): arguments that Django's signatures impose (signal
# receivers, ModelAdmin.save_model); an import only read in a string annotation.
sender
change
StrOrPromise
