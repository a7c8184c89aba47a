"""The ladder as checked data: the shipped defaults load, mistakes name line and field.

In the sample texts each line ends with a ``# Ln`` comment giving its line number, so the
expected line of each problem can be read off the text.
"""

import re
from decimal import Decimal

import pytest

from gvia.core.errors import FieldProblem, ValidationFailed
from gvia.core.policy import DOCUMENTS, Action, load_policy
from gvia.policies import DEFAULT_FILES, default_policy, default_policy_file, default_policy_text

GOOD = """\
name = "Test ladder"  # L1
jurisdiction = "IL"  # L2
min_spacing_days = 5  # L3
[[stage]]  # L4
key = "reminder"  # L5
names = { he = "תזכורת", en = "Reminder" }  # L6
after_due_days = 7  # L7
min_amount = { ILS = "100", USD = "25.5" }  # L8
actions = [  # L9
  { channel = "email", document = "reminder" },  # L10
]  # L11
[[stage]]  # L12
key = "warning"  # L13
names = { he = "התראה", en = "Warning" }  # L14
after_due_days = 30  # L15
approval = true  # L16
actions = [  # L17
  { channel = "registered_letter", document = "warning_letter", attach = ["statement"] },  # L18
  { channel = "email", document = "warning_letter" },  # L19
]  # L20
[[stage]]  # L21
key = "legal"  # L22
names = { he = "משפטי", en = "Legal" }  # L23
after_previous_days = 1  # L24
day_kind = "business"  # L25
notice_days = 30  # L26
approval = true  # L27
"""


def problems_of(text: str) -> list[FieldProblem]:
    with pytest.raises(ValidationFailed) as exc:
        load_policy(text, source="test.toml")
    return exc.value.problems


def where(problems: list[FieldProblem]) -> set[tuple[int | None, str]]:
    return {(p.row, p.field) for p in problems}


class TestLoading:
    def test_good_policy_with_defaults(self):
        p = load_policy(GOOD, source="test.toml")
        assert p.name == "Test ladder" and p.jurisdiction == "IL" and p.source == "test.toml"
        assert p.start_mode == "first_stage"
        assert p.min_spacing_days == 5
        assert p.reply_pause_days == 5  # default
        assert p.call_attempts == 3  # default
        assert [s.key for s in p.stages] == ["reminder", "warning", "legal"]
        reminder, warning, legal = p.stages
        assert reminder.names == {"he": "תזכורת", "en": "Reminder"}
        assert reminder.name("he") == "תזכורת" and reminder.name("fr") == "Reminder"
        assert reminder.enabled and reminder.after_due_days == 7 and reminder.after_previous_days is None
        assert reminder.day_kind == "calendar"
        assert reminder.min_amount == {"ILS": Decimal("100.00"), "USD": Decimal("25.50")}
        assert reminder.actions == (Action("email", "reminder"),)
        assert reminder.deadline_days is None and not reminder.approval and reminder.wait_days == 0
        assert warning.approval
        assert warning.actions[0] == Action("registered_letter", "warning_letter", ("statement",))
        assert warning.deadline_days == 14  # default for a warning letter
        assert warning.deadline_day_kind == "calendar"
        assert warning.sends_paper and not warning.is_call
        assert legal.after_previous_days == 1 and legal.day_kind == "business"
        assert legal.notice_days == 30 and legal.actions == ()
        assert p.stage("warning") is warning and p.index_of("legal") == 2
        assert p.index_of("nope") is None

    def test_inline_and_table_actions_are_the_same(self):
        tables = GOOD.replace(
            'actions = [  # L9\n  { channel = "email", document = "reminder" },  # L10\n]  # L11\n', "")
        tables = tables.replace('[[stage]]  # L12', '[[stage.actions]]\nchannel = "email"\n'
                                'document = "reminder"\n[[stage]]  # L12')
        assert load_policy(tables).stages[0].actions == (Action("email", "reminder"),)

    def test_fingerprint_ignores_comments_spacing_and_key_order(self):
        a = load_policy(GOOD)
        reordered = GOOD.replace('name = "Test ladder"  # L1\njurisdiction = "IL"  # L2\n',
                                 '# a comment\njurisdiction   =   "IL"\nname = "Test ladder"\n')
        reordered = reordered.replace('min_amount = { ILS = "100", USD = "25.5" }',
                                      'min_amount = { USD = "25.50", ILS = "100.00" }')
        b = load_policy(reordered)
        assert a.fingerprint == b.fingerprint and len(a.fingerprint) == 16
        assert a == b
        c = load_policy(GOOD.replace("after_due_days = 30", "after_due_days = 31"))
        assert c.fingerprint != a.fingerprint
        # explicit defaults are the same content as omitted ones
        d = load_policy(GOOD.replace("min_spacing_days = 5  # L3",
                                     "min_spacing_days = 5\nreply_pause_days = 5\nstart_mode = \"first_stage\""))
        assert d.fingerprint == a.fingerprint
        assert hash(a) == hash(b)


class TestDefaults:
    @pytest.mark.parametrize("country,consumer,file", [
        ("IL", False, "il.toml"), ("IL", True, "il_consumer.toml"), ("GB", False, "uk.toml"),
        ("UK", True, "uk_consumer.toml"), ("US", False, "generic.toml"), ("DE", False, "generic.toml"),
        ("EU", True, "generic.toml"),
    ])
    def test_file_per_country(self, country, consumer, file):
        assert default_policy_file(country, consumer) == file
        assert "[[stage]]" in default_policy_text(country, consumer)

    @pytest.mark.parametrize("file_args", [("IL", False), ("GB", False), ("GB", True), ("US", False)])
    def test_defaults_follow_good_practice(self, file_args):
        p = default_policy(*file_args)
        keys = [s.key for s in p.stages]
        assert keys[0] == "courtesy" and keys[-1] == "legal"
        courtesy = p.stage("courtesy")
        assert not courtesy.enabled and courtesy.after_due_days == -3
        assert p.stage("reminder").after_due_days == 7
        second = p.stage("second_reminder")
        assert second.after_due_days == 21 and second.actions[0].attach == ("statement",)
        call = p.stage("call")
        assert call.after_due_days == 30 and call.is_call
        warning = p.stages[-2]
        assert warning.after_due_days == 45 and warning.approval and warning.sends_paper
        assert {a.channel for a in warning.actions} == {"registered_letter", "email"}
        assert p.stage("legal").approval
        for s in p.stages:
            assert s.names["he"] and s.names["en"]

    def test_israel_warning_and_execution_office_notice(self):
        p = default_policy("IL")
        warning = p.stage("warning_letter")
        assert warning.deadline_days == 14
        assert {a.document for a in warning.actions} == {"warning_execution_office"}
        assert p.stage("legal").notice_days == 30

    def test_uk_consumer_letter_of_claim(self):
        p = default_policy("GB", consumer=True)
        loc = p.stage("letter_of_claim")
        assert loc.deadline_days == 30 and loc.approval
        assert {a.document for a in loc.actions} == {"letter_of_claim"}
        assert default_policy("GB").stage("warning_letter").deadline_days == 14

    def test_every_shipped_file_loads(self):
        from importlib import resources
        for name in DEFAULT_FILES:
            text = resources.files("gvia.policies").joinpath(name).read_text(encoding="utf-8")
            assert load_policy(text, name).stages

    def test_documents_known(self):
        assert {"courtesy", "reminder", "second_reminder", "warning_letter",
                "warning_execution_office", "statement"} <= set(DOCUMENTS)


class TestProblems:
    def test_unknown_keys(self):
        text = GOOD.replace("min_spacing_days = 5  # L3", "min_spacing = 5  # L3")
        text = text.replace("after_due_days = 7  # L7", "after_due_dayz = 7  # L7")
        probs = problems_of(text)
        assert (3, "min_spacing") in where(probs)
        assert (7, "stage[1].after_due_dayz") in where(probs)
        # the stage lost its trigger too: reported on the stage's header line
        assert (4, "stage[1]") in where(probs)
        p = next(p for p in probs if p.field == "min_spacing")
        assert p.source == "test.toml" and "unknown key" in p.message
        assert "test.toml" in str(p) and "row 3" in str(p)

    def test_wrong_types(self):
        text = GOOD.replace('after_due_days = 30  # L15', 'after_due_days = "30"  # L15')
        text = text.replace('approval = true  # L16', 'approval = "yes"  # L16')
        text = text.replace('min_amount = { ILS = "100", USD = "25.5" }', 'min_amount = { ILS = 100.5 }')
        probs = problems_of(text)
        assert where(probs) >= {(15, "stage[2].after_due_days"), (16, "stage[2].approval"),
                                (8, "stage[1].min_amount.ILS")}
        msg = {p.field: p.message for p in probs}
        assert "whole number" in msg["stage[2].after_due_days"]
        assert "string" in msg["stage[1].min_amount.ILS"]

    def test_unknown_channel_and_document(self):
        text = GOOD.replace('{ channel = "email", document = "warning_letter" },  # L19',
                            '{ channel = "fax", document = "warning_leter" },  # L19')
        assert where(problems_of(text)) == {(19, "stage[2].actions[2].channel"),
                                            (19, "stage[2].actions[2].document")}

    def test_unknown_attachment(self):
        text = GOOD.replace('attach = ["statement"]', 'attach = ["invoice_copy"]')
        assert where(problems_of(text)) == {(18, "stage[2].actions[1].attach")}

    def test_two_actions_on_one_channel(self):
        text = GOOD.replace('{ channel = "email", document = "warning_letter" },  # L19',
                            '{ channel = "registered_letter", document = "statement" },  # L19')
        assert where(problems_of(text)) == {(19, "stage[2].actions[2].channel")}

    def test_stages_out_of_order(self):
        text = GOOD.replace("after_due_days = 30  # L15", "after_due_days = 7  # L15")
        probs = problems_of(text)
        assert where(probs) == {(15, "stage[2].after_due_days")}
        assert "order" in probs[0].message

    def test_duplicate_keys(self):
        text = GOOD.replace('key = "legal"  # L22', 'key = "reminder"  # L22')
        probs = problems_of(text)
        assert where(probs) == {(22, "stage[3].key")}
        assert "stage[1]" in probs[0].message

    def test_negative_waits(self):
        text = GOOD.replace("after_previous_days = 1  # L24", "after_previous_days = -2  # L24")
        text = text.replace("min_spacing_days = 5  # L3", "min_spacing_days = -1  # L3")
        text = text.replace("approval = true  # L27", "wait_days = -3  # L27")
        assert where(problems_of(text)) == {(24, "stage[3].after_previous_days"), (3, "min_spacing_days"),
                                            (27, "stage[3].wait_days")}

    def test_bad_currency_and_amount(self):
        text = GOOD.replace('min_amount = { ILS = "100", USD = "25.5" }',
                            'min_amount = { XYZ = "100", USD = "-5", EUR = "ten" }')
        probs = problems_of(text)
        assert where(probs) == {(8, "stage[1].min_amount.XYZ"), (8, "stage[1].min_amount.USD"),
                                (8, "stage[1].min_amount.EUR")}

    def test_min_amount_as_sub_table_points_at_the_currency_line(self):
        text = GOOD.replace('min_amount = { ILS = "100", USD = "25.5" }  # L8\n', "")
        text = text.replace("[[stage]]  # L12", '[stage.min_amount]  # L11\nILS = "100"  # L12\n'
                                                 'QQQ = "5"  # L13\n[[stage]]  # L14')
        # lines 8-10 are now the actions list, 11 the sub-table header
        assert where(problems_of(text)) == {(13, "stage[1].min_amount.QQQ")}

    def test_both_triggers_and_no_names(self):
        text = GOOD.replace("after_due_days = 7  # L7", "after_due_days = 7\nafter_previous_days = 3")
        text = text.replace('names = { he = "התראה", en = "Warning" }', 'names = { he = "התראה" }')
        probs = problems_of(text)
        # one line was inserted after L7: the warning's names move to line 15
        assert where(probs) == {(8, "stage[1].after_previous_days"), (15, "stage[2].names.en")}

    def test_bad_choices(self):
        text = GOOD.replace('day_kind = "business"  # L25', 'day_kind = "weekdays"  # L25')
        text = text.replace('jurisdiction = "IL"  # L2', 'jurisdiction = "IL"\nstart_mode = "oldest"')
        assert where(problems_of(text)) == {(3, "start_mode"), (26, "stage[3].day_kind")}

    def test_notice_needs_an_enabled_warning_before(self):
        text = GOOD.replace("approval = true  # L16", "enabled = false  # L16")
        assert where(problems_of(text)) == {(26, "stage[3].notice_days")}

    def test_all_disabled(self):
        text = """name = "x"\njurisdiction = "GB"\n[[stage]]\nkey = "a"\nnames = { he = "א", en = "A" }
after_due_days = 7\nenabled = false\n"""
        assert where(problems_of(text)) == {(3, "stage")}

    def test_missing_required(self):
        probs = problems_of('description = "no name"\n')
        assert {p.field for p in probs} == {"name", "jurisdiction", "stage"}

    def test_single_bracket_stage(self):
        probs = problems_of('name = "x"\njurisdiction = "IL"\n[stage]\nkey = "a"\n')
        assert [p.field for p in probs] == ["stage"]

    def test_toml_syntax_error_names_the_line(self):
        probs = problems_of('name = "x"\njurisdiction = "IL"\n[[stage]]\nkey = "a\n')
        assert len(probs) == 1 and probs[0].row == 4 and "not valid TOML" in probs[0].message

    def test_all_problems_at_once(self):
        text = GOOD.replace("after_due_days = 30  # L15", "after_due_days = 3  # L15")
        text = text.replace('{ channel = "email", document = "reminder" },',
                            '{ channel = "pigeon", document = "reminder" },')
        text = text.replace('key = "legal"', 'key = "Legal Stage"')
        probs = problems_of(text)
        assert where(probs) == {(15, "stage[2].after_due_days"), (10, "stage[1].actions[1].channel"),
                                (22, "stage[3].key")}
        with pytest.raises(ValidationFailed) as exc:
            load_policy(text, "x.toml")
        assert "3 problem(s)" in exc.value.summary

    def test_hash_inside_a_string_is_not_a_comment(self):
        text = GOOD.replace('names = { he = "משפטי", en = "Legal" }',
                            'names = { he = "משפטי", en = "Legal #1" }')
        text = text.replace("day_kind = \"business\"  # L25", "day_kind = \"monthly\"  # L25")
        assert where(problems_of(text)) == {(25, "stage[3].day_kind")}


def test_action_lines_with_optional_keys_missing():
    text = """name = "x"
jurisdiction = "IL"
[[stage]]
key = "a"
names = { he = "א", en = "A" }
after_due_days = 7
actions = [
  { channel = "email", document = "reminder" },
  { channel = "sms", document = "reminder", attach = ["invoice_copy"] },
  { channel = "letter", document = "reminder", attach = ["statement"] },
]
min_amount = { ILS = "1" }
[[stage]]
key = "b"
names = { he = "ב", en = "B" }
after_due_days = 9
[[stage.actions]]
channel = "email"
document = "reminder"
[[stage.actions]]
document = "reminder"
attach = ["nope"]
"""
    assert where(problems_of(text)) == {(9, "stage[1].actions[2].attach"), (20, "stage[2].actions[2].channel"),
                                        (22, "stage[2].actions[2].attach")}


@pytest.mark.parametrize("jurisdiction", sorted(DEFAULT_FILES))
def test_every_shipped_ladder_has_its_name_and_description_in_both_languages(jurisdiction):
    p = default_policy(jurisdiction)
    for lang, letters in (("he", "[\u05d0-\u05ea]"), ("en", "[A-Za-z]")):
        assert re.search(letters, p.title(lang)) and re.search(letters, p.about(lang)), (jurisdiction, lang)
    assert p.title("he") != p.title("en") and p.about("he") != p.about("en")


def test_names_and_descriptions_are_optional_but_need_both_languages_when_given():
    text = default_policy_text("IL")
    plain = load_policy(text.replace("\nnames = { he = \"ישראל", "\n# names = { he = \"ישראל"), "t")
    assert plain.title("he") == plain.name == "Israel — standard ladder"   # without names: the name
    with pytest.raises(ValidationFailed) as caught:
        load_policy(text.replace(', en = "Israel — standard ladder" }', " }"), "t")
    assert [p.field for p in caught.value.problems] == ["names.en"]
    # a ladder without them keeps its fingerprint (stored versions stay the same version)
    assert "names" not in plain.normalized() and "names" in load_policy(text, "t").normalized()
