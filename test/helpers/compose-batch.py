"""Run docker-compose v1's own command line (compose.cli.main.main) for several jobs in one Python process.

Used by test/helpers/tool-batch.ts: each `docker-compose ... config -q` start costs about 0.5 s of CPU, nearly
all of it importing compose. Each job gets what a fresh `docker-compose` process would: its argv, its
environment, its working directory, fresh logging handlers and warning registries, and its own stderr
(file descriptor 2, captured to a file) and exit status.

argv: <jobs.json> <results.json>; a job is {"args": [...], "env": {...}, "cwd": "..."}, a result
{"status": int, "stderr": str}. Exit status 3 when compose cannot be imported (not docker-compose v1): the
caller then runs the docker-compose command once per job.
"""
import json
import logging
import os
import sys
import tempfile
import warnings

try:
    from compose.cli.main import main
except ImportError as e:
    print(f"compose-batch: cannot import compose ({e})", file=sys.stderr)
    sys.exit(3)

jobs_path, results_path = sys.argv[1], sys.argv[2]
with open(jobs_path, encoding="utf-8") as f:
    jobs = json.load(f)

results = []
default_filters = warnings.filters[:]
saved_stderr = os.dup(2)
for job in jobs:
    os.environ.clear()
    os.environ.update(job["env"])
    os.chdir(job["cwd"])
    sys.argv = ["docker-compose", *job["args"]]
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    warnings.filters[:] = default_filters
    if hasattr(warnings, "_filters_mutated"):
        warnings._filters_mutated()
    with tempfile.TemporaryFile() as err:
        sys.stderr.flush()
        os.dup2(err.fileno(), 2)
        try:
            main()
            status = 0
        except SystemExit as e:
            status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        finally:
            sys.stderr.flush()
            os.dup2(saved_stderr, 2)
        err.seek(0)
        results.append({"status": status, "stderr": err.read().decode("utf-8", "replace")})

with open(results_path, "w", encoding="utf-8") as f:
    json.dump(results, f)
