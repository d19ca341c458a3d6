from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from safemoves.cases import policies
from safemoves.cases import selectors as case_selectors
from safemoves.common.forms import submit
from safemoves.common.http import StaffRequest
from safemoves.common.uploads import upload_was_too_large
from safemoves.documents import selectors, services
from safemoves.documents.files import max_bytes, size_text
from safemoves.documents.forms import UploadForm


@require_http_methods(["GET", "POST"])
def upload_view(request: StaffRequest, case_id: UUID) -> HttpResponse:
    case = case_selectors.get_case(request.membership, case_id, policy=policies.can_work_case)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_was_too_large(request):
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", f"The file is larger than {size_text(max_bytes())}. Upload a smaller copy.")
    elif request.method == "POST" and submit(
        form,
        lambda data: services.document_upload(
            case=case,
            actor=request.user,
            kind=data["kind"],
            file_name=data["file"].name or "",
            data=data["file"].read(),
            description=data["description"],
        ),
    ):
        messages.success(request, "Document uploaded and stored encrypted.")
        return redirect("cases:detail", case_id=case.pk)
    return render(request, "documents/upload.html", {"case": case, "form": form}, status=400 if form.errors else 200)


@require_GET
def download_view(request: StaffRequest, case_id: UUID, document_id: UUID) -> HttpResponse:
    case = case_selectors.get_case(request.membership, case_id)
    document = selectors.document_of(case, document_id)
    data = selectors.document_open(case=case, document=document, actor=request.user)
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, max-age=0"
    return response
