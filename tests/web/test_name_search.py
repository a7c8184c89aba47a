"""The customer list's name search: a customer's or a contact's name containing the text typed,
found from the name indexes on SQLite (gvia.web.name_search) and kept right as names change."""

import pytest

from gvia.web import queries

pytestmark = pytest.mark.django_db


def refs(client, q: str) -> list[str]:
    return [row.ref for row in client.get("/customers/", {"q": q}).context["result"].rows]


@pytest.mark.parametrize("q,expected", [
    ("שיווק", ["C001"]),             # inside the name
    ('בע"מ', ["C001"]),              # with a double quote
    ("trading", ["C002"]),           # ASCII, another case
    ("כהן", ["C001"]),               # the end of a contact's name
    ("Hidden", []),                  # another organization's customer
    ("שיווקי", []),
])
def test_a_name_is_found_by_any_part_of_it(as_owner, world, q, expected):
    assert refs(as_owner, q) == expected


def test_letters_of_any_alphabet_ignore_case(as_owner, world):
    from gvia.store.models import Customer

    Customer.objects.create(organization=world.org_a, ref="E01", name="École Française")
    assert refs(as_owner, "école") == ["E01"]
    assert refs(as_owner, "FRANÇAISE") == ["E01"]


def test_renamed_deleted_and_bulk_written_names_are_found_as_they_are_now(as_owner, world):
    from gvia.store import bulk
    from gvia.store.models import Contact, Customer

    c = Customer.objects.get(organization=world.org_a, ref="C003")
    c.name = "דלתא הפצה"
    c.save()
    assert refs(as_owner, "דלתא") == ["C003"] and refs(as_owner, "מוצרים") == []
    Contact.objects.filter(name="דנה כהן").delete()
    assert refs(as_owner, "דנה כהן") == []
    bulk.insert(Contact._meta.db_table, ("customer_id", "name", "role", "email", "phone", "is_primary",
                                         "is_billing", "cc"),
                [(c.id, "יוסי לוינשטיין", "", "", "", False, False, False)])   # as the import writes
    assert refs(as_owner, "לוינשטיין") == ["C003"]


def test_many_contacts_with_the_name_list_their_customers_page_by_page(as_owner, world):
    from gvia.store.models import Contact, Customer

    customers = Customer.objects.bulk_create([Customer(organization=world.org_a, ref=f"K{i:04d}", name=f"Firm {i:04d}")
                                              for i in range(queries.FEW + 30)])
    Contact.objects.bulk_create([Contact(customer=c, name=f"Ruth Abramovich {c.ref}") for c in customers])
    first = as_owner.get("/customers/", {"q": "abramovich"}).context["result"]
    assert first.total is None and first.has_next
    assert [r.ref for r in first.rows] == [f"K{i:04d}" for i in range(queries.PER_PAGE)]
    last = as_owner.get("/customers/", {"q": "abramovich", "page": 11}).context["result"]
    assert (last.total, len(last.rows), last.rows[-1].ref) == (queries.FEW + 30, 30, f"K{queries.FEW + 29:04d}")
