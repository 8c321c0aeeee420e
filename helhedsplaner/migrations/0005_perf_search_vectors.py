"""Stored search vectors for Danish full-text search (PostgreSQL only).

Ranking needs each matching row's vector. With only the expression indexes of
``0004_search_indexes`` PostgreSQL had to rebuild the vector from the text of every
matching row (350 ms for a common word over 200,000 agenda items); a stored
generated column holds it ready, and the GIN index moves onto that column. The
column is maintained by PostgreSQL on every insert and update, so it is never
stale, and it is not a model field (the ORM never writes it; ``helhedsplaner.search.selectors``
reads it by name). On SQLite search falls back to LIKE and nothing is created.
"""

from django.db import migrations

COLUMN = "search_da"
TABLES = {
    # table: (columns, index on the stored vector, expression index it replaces)
    "cases_case": (("number", "title", "description"), "case_search_vector", "case_search_da"),
    "cases_agendaitem": (
        ("title", "summary", "problem", "solution", "economy", "further_process"),
        "agenda_item_search_vector",
        "agenda_item_search_da",
    ),
    "cases_decision": (("text",), "decision_search_vector", "decision_search_da"),
    "cases_attachment": (
        ("title", "case_number"),
        "attachment_search_vector",
        "attachment_search_da",
    ),
    "helhedsplaner_plan": (("name", "description"), "plan_search_vector", "plan_search_da"),
}


def _expression(columns):
    text = " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)
    return f"to_tsvector('danish'::regconfig, {text})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (columns, index, old_index) in TABLES.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({_expression(columns)}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({COLUMN})")
        schema_editor.execute(f"DROP INDEX IF EXISTS {old_index}")
        # Fresh statistics for the new column, so the planner uses its index at once.
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (columns, index, old_index) in TABLES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {old_index} ON {table} USING gin ({_expression(columns)})"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0004_search_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
