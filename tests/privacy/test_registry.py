"""Every table that refers to people is covered by a declaration of personal data, so a new
capability's tables are deleted, exported and forgotten by construction."""

from __future__ import annotations

import sqlalchemy as sa

from conference.events.model import RETENTION_KINDS
from conference.privacy.registry import PERSONAL_DATA
from conference.storage.tables import metadata, people


def refers_to_people(table: sa.Table) -> bool:
    return (
        table is people
        or "person_id" in table.c
        or any(fk.column.table is people for fk in table.foreign_keys)
    )


def test_every_table_that_refers_to_people_is_declared() -> None:
    declared = {table.name for data in PERSONAL_DATA for table in data.tables}
    missing = [
        table.name
        for table in metadata.sorted_tables
        if refers_to_people(table) and table.name not in declared
    ]
    assert missing == [], (
        f"tables with personal data but no declaration: {missing}; add a PersonalData for "
        "them to conference/privacy/registry.py (see conference/privacy/declaration.py)"
    )


def test_declarations_name_real_tables_once_and_known_kinds() -> None:
    declared = [table for data in PERSONAL_DATA for table in data.tables]
    assert all(table in metadata.sorted_tables for table in declared)
    assert len(declared) == len(set(declared))
    assert all(data.kind in RETENTION_KINDS for data in PERSONAL_DATA)
    names = [data.name for data in PERSONAL_DATA]
    assert len(names) == len(set(names))


def test_the_registration_is_forgotten_first_and_deleted_last() -> None:
    """Withdrawals run in the list's order, deletions in reverse: the people come first."""
    assert people in PERSONAL_DATA[0].tables
    assert all(people not in data.tables for data in PERSONAL_DATA[1:])
