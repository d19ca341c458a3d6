from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from safemoves.cases import policies as case_policies
from safemoves.cases import selectors as case_selectors
from safemoves.cases.contact import ContactRefused, plan_contact
from safemoves.common.decorators import allowed_if
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.letters import policies, selectors, services
from safemoves.letters.forms import ChooseTemplateForm, LetterForm, TemplateForm
from safemoves.letters.models import LetterTemplate


@require_http_methods(["GET", "POST"])
def write_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    """Choose a template, edit the letter, produce it as a PDF to the safe postal address."""
    case = case_selectors.get_case(request.membership, case_id, policy=case_policies.can_work_case)
    try:
        plan = plan_contact(case, "letter")
    except ContactRefused as exc:
        return render(request, "letters/refused.html", {"case": case, "reason": exc.reason}, status=409)
    organisation = request.membership.organisation
    choices = selectors.template_list(organisation, active_only=True)
    choose = ChooseTemplateForm(
        request.GET if "template" in request.GET else None,
        choices=[(choice.choice_id, choice.name) for choice in choices],
    )
    letter_form: LetterForm | None = None
    choice = None
    if request.method == "POST":
        letter_form = LetterForm(request.POST)
        choice = selectors.template_choice(organisation, request.POST.get("template", ""))
        if choice is None:
            raise Http404
        chosen = choice
        if submit(
            letter_form,
            lambda data: services.letter_send(
                case=case, actor=request.user, choice=chosen, subject=data["subject"], body=data["body"]
            ),
        ):
            messages.success(request, "Letter produced as a PDF, addressed to the safe postal address.")
            return redirect("cases:detail", case_id=case.pk)
    elif choose.is_bound and choose.is_valid():
        choice = selectors.template_choice(organisation, choose.cleaned_data["template"])
        if choice is not None:
            letter_form = LetterForm(
                initial={"template": choice.choice_id, "subject": choice.subject, "body": choice.body}
            )
    return render(
        request,
        "letters/write.html",
        {
            "case": case,
            "choose": choose,
            "form": letter_form,
            "choice": choice,
            "address_lines": [case.lead_name, *plan.destination.splitlines()],
        },
        status=400 if letter_form is not None and letter_form.errors else 200,
    )


@require_GET
def pdf_view(request: StaffRequest, case_id: UUID, letter_id: UUID) -> HttpResponse:
    case = case_selectors.get_case(request.membership, case_id)
    letter = selectors.sent_letter(case, letter_id)
    data = selectors.letter_pdf_open(case=case, letter=letter, actor=request.user)
    response = HttpResponse(data, content_type="application/pdf")
    stamp = letter.sent_at.strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-letter-{stamp}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@allowed_if(policies.can_manage_letter_templates)
@require_GET
def templates_view(request: StaffRequest) -> HttpResponse:
    choices = selectors.template_list(request.membership.organisation, active_only=False)
    return render(request, "letters/templates.html", {"choices": choices})


def _template_page(
    request: StaffRequest, template: LetterTemplate | None, standard_key: str, initial: dict[str, object]
) -> HttpResponse:
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and (
        saved := submit(
            form,
            lambda data: services.letter_template_save(
                organisation_id=request.membership.organisation_id,
                actor=request.user,
                template=template,
                standard_key=standard_key,
                changes=data,
            ),
        )
    ):
        _, changed = saved.result
        messages.success(request, "Template saved." if changed else "Nothing had changed.")
        return redirect("letters:templates")
    title = f"Change the template “{template.name}”" if template else "New letter template"
    return render(
        request, "letters/template_form.html", {"form": form, "title": title}, status=400 if form.errors else 200
    )


@allowed_if(policies.can_manage_letter_templates)
@require_http_methods(["GET", "POST"])
def template_new_view(request: StaffRequest) -> HttpResponse:
    standard_key = request.GET.get("standard", "")
    initial: dict[str, object] = {"is_active": True, "letterhead": request.membership.organisation.name}
    if standard_key:
        standard = selectors.standard_template(request.membership.organisation, standard_key)
        if standard is None:
            raise Http404
        initial |= {
            "name": standard.name,
            "letterhead": standard.letterhead,
            "sender_name": standard.sender_name,
            "sender_role": standard.sender_role,
            "subject": standard.subject,
            "body": standard.body,
        }
    return _template_page(request, None, standard_key, initial)


@allowed_if(policies.can_manage_letter_templates)
@require_http_methods(["GET", "POST"])
def template_edit_view(request: StaffRequest, template_id: int) -> HttpResponse:
    template = selectors.stored_template(request.membership.organisation, template_id)
    initial = {name: getattr(template, name) for name in services.TEMPLATE_FIELDS}
    return _template_page(request, template, template.standard_key, initial)
