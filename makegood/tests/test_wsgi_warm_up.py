"""The WSGI module warms up before gunicorn forks, so that no worker's first page pays for it."""

from unittest import mock

from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.urls import get_resolver
from django.utils.translation import get_language

from makegood import wsgi


def test_the_warm_up_fills_the_url_names_and_compiles_every_template():
    resolver = get_resolver()
    resolver._reverse_dict.clear()
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    django_engine = backend.engine
    with mock.patch.object(django_engine, "get_template", wraps=django_engine.get_template) as compiled:
        wsgi.warm_up()
    assert get_language() in resolver._reverse_dict
    names = {call.args[0] for call in compiled.call_args_list}
    assert {"cases/queue.html", "base.html"} <= names
