"""GIN expression indexes for Danish full-text search (PostgreSQL only).

The expressions match what ``helhedsplaner.search.selectors.vector(*FIELDS)`` compiles to,
so the planner uses them. On SQLite (the embedded default) search falls back to
LIKE and no index is created.
"""

from django.db import migrations

INDEXES = {
    "case_search_da": ("cases_case", ("number", "title", "description")),
    "agenda_item_search_da": (
        "cases_agendaitem",
        ("title", "summary", "problem", "solution", "economy", "further_process"),
    ),
    "decision_search_da": ("cases_decision", ("text",)),
    "attachment_search_da": ("cases_attachment", ("title", "case_number")),
    "plan_search_da": ("helhedsplaner_plan", ("name", "description")),
}


def _expression(columns):
    return " || ' ' || ".join(f"COALESCE(\"{column}\", '')" for column in columns)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, columns) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (to_tsvector('danish'::regconfig, {_expression(columns)}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("helhedsplaner", "0003_cofinancing_corrections_and_housing_contributions"),
        ("cases", "0002_agenda_versions_votes_corrections"),
    ]

    operations = [migrations.RunPython(create, drop)]
