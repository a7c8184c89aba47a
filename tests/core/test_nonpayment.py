"""The reasons for non-payment: one list, the customer's page offers the ones a customer gives."""

from gvia.core import nonpayment


def test_the_reasons_are_the_issues_list_in_order():
    assert nonpayment.REASONS == (
        "cash_flow", "dispute", "forgot", "wrong_contact", "unreachable", "refuses",
        "waiting_allocation_number", "other",
    )


def test_a_customer_gives_neither_unreachable_nor_refuses():
    assert "unreachable" not in nonpayment.CUSTOMER_REASONS
    assert "refuses" not in nonpayment.CUSTOMER_REASONS
    assert set(nonpayment.CUSTOMER_REASONS) < set(nonpayment.REASONS)
    assert nonpayment.is_reason("forgot") and not nonpayment.is_reason("bored")
