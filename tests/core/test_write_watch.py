"""The page cache's write watcher survives a request that opens its thread's connection.

A worker thread's first request opens the database connection inside the middleware
stack, and the page cache installs its write watcher on that new connection
(``connection_created``). Nothing the request does on the way out may take it off again,
or that worker's later writes would never invalidate cached pages (seen on PostgreSQL,
where connections persist between requests).
"""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.test import RequestFactory

from core import pagecache
from core.middleware import CommitTrackingMiddleware


def test_a_request_that_opens_the_connection_keeps_the_write_watcher():
    connection = connections[DEFAULT_DB_ALIAS]
    saved = list(connection.execute_wrappers)
    connection.execute_wrappers.clear()  # a worker thread's fresh connection handler

    def view(request):
        # The connection opens here, during the request.
        connection_created.send(sender=type(connection), connection=connection)
        return HttpResponse("ok")

    try:
        CommitTrackingMiddleware(view)(RequestFactory().get("/"))
        assert connection.execute_wrappers == [pagecache.watch_writes]
    finally:
        connection.execute_wrappers[:] = saved
