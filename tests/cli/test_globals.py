from gvia.cli.state import split_globals


def test_global_options_are_taken_from_anywhere_on_the_line():
    rest, found = split_globals(["aging", "--db", "sqlite:///x.db", "--format", "json", "--as=a@b.co", "--org", "acme"])
    assert rest == ["aging", "--format", "json"]
    assert found == {"db": "sqlite:///x.db", "as_user": "a@b.co", "org": "acme"}


def test_options_after_double_dash_are_left_alone():
    rest, found = split_globals(["import", "invoices", "--", "--db"])
    assert rest == ["import", "invoices", "--", "--db"]
    assert found == {}
