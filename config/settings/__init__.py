"""Settings package: ``base`` holds everything, the variants adjust it.

- ``local`` (default for ``manage.py``): DEBUG on, embedded SQLite unless
  ``DATABASE_URL`` says otherwise.
- ``test``: tuned for speed (fast hasher, locmem cache and e-mail).
- ``production``: DEBUG off, secret key required, secure cookies and HSTS.
"""
