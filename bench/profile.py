"""Profile one page of the benchmark's database with pyinstrument, in process.

    .venv/bin/python -m bench.profile /usulan/ --user suban [--repeat 20]

Runs against the database `make bench` left behind (its last size), with the benchmark's
settings and DEBUG off: a few warm-up requests, then `--repeat` profiled ones, printed as
pyinstrument's text tree. What docs/benchmarks.md quotes for a page that misses its target.
"""

import argparse
import os
import sys

from bench.run import _environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page, e.g. /usulan/?page=200")
    parser.add_argument("--user", help="username to request it as (anonymous without)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--interval", type=float, default=0.0002, help="sampling, seconds")
    options = parser.parse_args(argv)
    os.environ.update(_environment())

    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from areas.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if options.user:
        client.force_login(User.objects.get(username=options.user))
    for _ in range(5):
        status = client.get(options.path).status_code
    profiler = Profiler(interval=options.interval)
    with profiler:
        for _ in range(options.repeat):
            client.get(options.path)
    print(f"{options.path} as {options.user or 'anonymous'}: HTTP {status}, {options.repeat}×")
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
