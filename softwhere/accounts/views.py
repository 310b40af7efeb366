"""The signed-in user's API tokens: list, create (the key is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from softwhere.core.models import record_audit
from softwhere.core.views import AuthedRequest

from .forms import ApiTokenForm
from .models import ApiToken


@login_required
def api_tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST" and form.is_valid():
        token, key = ApiToken.issue(request.user, form.cleaned_data["name"].strip())
        record_audit(request.user, "api_token.issue", token)
        # The key is only ever in this response (no redirect, no session): only its hash is stored.
        new_key = {"id": token.pk, "key": key}
        form = ApiTokenForm()
        status = 201
    tokens = request.user.api_tokens.order_by("revoked_at", "-created_at")
    response = render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key},
                      status=status)
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def api_token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.is_active:
        token.revoke()
        record_audit(request.user, "api_token.revoke", token)
        messages.success(request, f"Jeton « {token.name} » révoqué : il ne donne plus accès à l'API.")
    return redirect("api_tokens")
