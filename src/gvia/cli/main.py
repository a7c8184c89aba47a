"""The `gvia` command. Global options --db, --org, --as and --lang may stand anywhere on the line
(see :data:`gvia.cli.state.OWN_LANG` for the commands whose own --lang follows their name).
gvia speaks the acting user's language, or --lang's (:mod:`gvia.cli.words`)."""

from __future__ import annotations

import sys

from gvia import locale
from gvia.core.errors import GviaError, ValidationFailed

from . import (
    commands_api,  # noqa: F401 — registers api key create|list|revoke (the REST API's keys, issue 18)
    commands_arrangements,  # noqa: F401 — registers promise, plan, settle, dispute, writeoff, interest, rates
    commands_customer,  # noqa: F401 — registers customer hold, customer holds, customer reason
    commands_engine,  # noqa: F401 — registers run, explain, worker, settings, policy, approvals, outbox, ...
    commands_gateway,  # noqa: F401 — registers gateway set, gateway show
    commands_import,  # noqa: F401 — registers import ...
    commands_invoices,  # noqa: F401 — registers invoice allocation
    commands_ledger,  # noqa: F401 — registers aging, statement, customers, cheque
    commands_letters,  # noqa: F401 — registers letter, casefile, letters batch
    commands_mailbox,  # noqa: F401 — registers mailbox set|show|check|poll|unmatched|assign|dismiss, suggestions
    commands_operator,  # noqa: F401 — registers operator create
    commands_org,  # noqa: F401 — registers org show, org set
    commands_portal,  # noqa: F401 — registers portal link, portal revoke
    commands_portal_requests,  # noqa: F401 — registers portal requests|approve|reject
    commands_reports,  # noqa: F401 — registers report
    commands_setup,  # noqa: F401 — registers init, demo, serve, backup, restore
    commands_signals,  # noqa: F401 — registers signals, risk show|load
    commands_sms,  # noqa: F401 — registers sms set|show|opt-out|opt-in
    commands_statements,  # noqa: F401 — registers matches list|confirm|assign|reject|undo (import statement)
    commands_suppliers_law,  # noqa: F401 — registers customer law (Israel's suppliers' payment law)
    commands_sync,  # noqa: F401 — registers sync set|show|morning
    commands_users,  # noqa: F401 — registers users unlock
    commands_webhooks,  # noqa: F401 — registers webhook add|list|remove|log|retry
)
from .app import app
from .output import err_console
from .state import GLOBALS, speak, split_globals
from .words import languages, problem_text, refusal_text, summary_text, t


def report_error(exc: GviaError) -> None:
    refused = t("refused")
    if isinstance(exc, ValidationFailed):
        err_console.print(f"[bold red]{refused}[/] ", highlight=False, end="")
        err_console.print(summary_text(exc), highlight=False, markup=False)
        for p in exc.problems:
            err_console.print(f"  • {problem_text(p)}", highlight=False, markup=False)
    else:
        err_console.print(f"[bold red]{refused}[/] ", highlight=False, end="")
        err_console.print(refusal_text(exc), highlight=False, markup=False)


def run(argv: list[str] | None = None) -> int:
    """Entry point: exit 0 when done, 1 when refused (nothing changed), 2 for wrong usage."""
    args, found = split_globals(list(sys.argv[1:] if argv is None else argv))
    GLOBALS.db = found.get("db", GLOBALS.db)
    GLOBALS.org = found.get("org", GLOBALS.org)
    GLOBALS.as_user = found.get("as_user", GLOBALS.as_user)
    GLOBALS.lang = found.get("lang", GLOBALS.lang)
    try:
        locale.check_compiled()      # a catalog changed and not compiled: one line, before any work
    except locale.CatalogNotCompiled as exc:
        err_console.print(str(exc.code), highlight=False, markup=False, soft_wrap=True)
        return 1
    if GLOBALS.lang is not None and GLOBALS.lang not in languages():
        err_console.print(t("lang.unknown", value=GLOBALS.lang, languages=", ".join(languages())),
                          highlight=False, markup=False)
        return 2
    speak()                          # --lang, or English until a command knows its acting user
    try:
        app(args=args, prog_name="gvia", standalone_mode=True)
    except GviaError as exc:
        report_error(exc)
        return 1
    except Exception as exc:
        # the machine's faults (a full disk, a read-only database, PostgreSQL not answering) are
        # one line and exit 1, never a traceback; anything else is a bug and shows as one
        from gvia.services.faults import classify

        fault = classify(exc)
        if fault is None:
            raise
        err_console.print(t(f"fault.{fault.code}", detail=fault.detail), highlight=False, markup=False,
                          soft_wrap=True)
        return 1
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def main() -> None:
    sys.exit(run())

