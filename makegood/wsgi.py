import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "makegood.settings")
application = get_wsgi_application()

# Load now what each worker's first requests would otherwise load (see gunicorn.conf.py): every
# view and the API's schemas, and the feeling detector that intake runs. Neither opens a database
# connection, so the forked workers share none.
get_resolver().url_patterns  # noqa: B018
from makegood.feelings import detector  # noqa: E402

detector()
