"""User and role management for administrators (Django admin stays the superuser's)."""
