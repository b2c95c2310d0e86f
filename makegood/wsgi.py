import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Load now what each worker's first requests would otherwise load (see gunicorn.conf.py).

    Every view and the API's schemas; the table `reverse()` and `{% url %}` look names up in, and
    every template compiled with the tag libraries it loads (a worker's first page took 120 to 250 ms
    more for these, and with two workers that first page can come at any point of a run); the
    feeling detector that intake runs. None of it opens a database connection, so the forked
    workers share none.
    """
    from django.template import engines
    from django.template.utils import get_app_template_dirs

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018
    resolver.reverse_dict  # noqa: B018
    for engine in engines.all():
        directories = [*getattr(engine, "dirs", []), *get_app_template_dirs("templates")]
        for directory in map(Path, directories):
            for path in directory.rglob("*"):
                if path.suffix in (".html", ".txt") and path.is_file():
                    engine.get_template(path.relative_to(directory).as_posix())

    from makegood.feelings import detector

    detector()


warm_up()
