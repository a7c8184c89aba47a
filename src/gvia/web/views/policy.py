"""The policy page: the escalation ladder shown as steps, its versions, and (for owners) its
text to edit — checked with every problem shown by line and field next to the text, previewed
(what today's daily run would do under the change, beside what it does now), and saved as the
policy's next version (:func:`gvia.services.engine.policies.save_policy`).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gvia.core.errors import GviaError, ValidationFailed
from gvia.core.policy import load_policy
from gvia.services.engine import policies

from .. import forms, navigation, previews, words
from ..access import forbidden, member_required
from ..ladder import steps, steps_html
from ..request import GviaRequest
from .common import done

navigation.add(navigation.NavItem("policy", "nav.policy", "policy"), before="import_start")


def annotated_lines(text: str, problems) -> list[tuple[int, str, list]]:
    """The text's lines, numbered from 1, each with the problems found on it."""
    by_line: dict[int, list] = {}
    for p in problems:
        if p.row is not None:
            by_line.setdefault(p.row, []).append(p)
    return [(n, line, by_line.get(n, [])) for n, line in enumerate(text.splitlines() or [""], start=1)]


@require_http_methods(["GET", "POST"])
@member_required("viewer")
def policy_page(request: GviaRequest) -> HttpResponse:
    lang = request.access.lang
    found = policies.organization_policies(request.ctx)
    wanted = request.POST.get("policy") or request.GET.get("policy")
    policy = next((p for p in found if str(p.id) == str(wanted)), found[0]) if wanted else found[0]
    if wanted and str(policy.id) != str(wanted):
        raise Http404("no such policy")
    versions = list(policy.versions.order_by("-version")[:20])
    version = versions[0] if versions else policies.latest_version(policy)     # (none: NotFoundFor)
    checked = policies.parse(version)
    # the picker names each policy as its latest version does, in the reader's language
    latest = policies.latest_versions(found) if len(found) > 1 else {}
    picker = [(p.id, policies.parse(latest[p.id]).title(lang)) for p in found] if latest else []
    context = {"policies": found, "picker": picker, "policy": policy, "version": version, "checked": checked,
               "title": checked.title(lang), "about": checked.about(lang),
               "steps_html": steps_html(version, lang),
               "versions": versions, "problems": [], "lines": [],
               "candidate": None, "preview": None}
    status = 200
    if request.method == "POST":
        if not request.access.is_owner:
            return forbidden(request, "needs_owner")
        form = forms.PolicyTextForm(request.POST, auto_id="policy_%s")
        action = request.POST.get("action", "check")
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                if action == "save":
                    saved = policies.save_policy(request.ctx, text, f"{policy.name} (web)", name=policy.name)
                    if saved.id == version.id:
                        done(request, "policy.unchanged")
                    else:
                        done(request, "policy.saved", version=saved.version)
                    return redirect(reverse("policy") + f"?policy={policy.id}")
                candidate = load_policy(text, f"{policy.name} (edited)")
                context["candidate"] = steps(candidate, lang)
                if action == "preview":
                    context["preview"] = previews.policy_preview(request.ctx, policy.name, text)
            except ValidationFailed as exc:
                shown = words.problem_rows(exc.problems, lang)
                context["problems"] = shown
                context["lines"] = annotated_lines(text, shown)
                status = 400
            except GviaError as exc:
                form.add_error(None, str(exc))
                status = 400
        else:
            status = 400
        context.update(form=form, action=action)
    else:
        context["form"] = forms.PolicyTextForm(initial={"text": version.text}, auto_id="policy_%s")
    return render(request, "gvia/policy/page.html", context, status=status)
