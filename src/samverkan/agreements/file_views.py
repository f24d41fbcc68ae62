"""The agreement file's page: import an agreement from a YAML file (the base's own page;
the download is each agreement's, ``collaboration:file``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samverkan.agreements.agreement_file import AgreementFileError, agreement_import
from samverkan.agreements.forms import AgreementFileForm
from samverkan.agreements.views import created_message
from samverkan.core.links import agreement_link
from samverkan.core.requests import request_user


@login_required
def agreement_file_import(request: HttpRequest) -> HttpResponse:
    """Upload a YAML file: a new agreement, or (ticked) the replacement of one with that reference."""
    form = AgreementFileForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            agreement = agreement_import(
                raw.decode("utf-8"),
                actor=request_user(request),
                replace=form.cleaned_data["replace"],
            )
        except UnicodeDecodeError:
            problems = [_("The file is not UTF-8 text. Save it as UTF-8 and try again.")]
        except AgreementFileError as exc:
            problems = exc.problems
        except PermissionDenied as exc:
            problems = [str(exc) or _("You may not change that agreement.")]
        else:
            messages.success(request, created_message(agreement, imported=True))
            # Where an imported file shows what it brought (a page a capability names
            # as the "agreement-file" link: the collaboration model), else the overview.
            return redirect(agreement_link(agreement.pk, "agreement-file"))
    return render(request, "agreements/import.html", {"form": form, "problems": problems})
