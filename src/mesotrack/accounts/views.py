import base64
from typing import Any

import segno
from django.contrib import auth, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from mesotrack.accounts import services
from mesotrack.accounts.access import public
from mesotrack.accounts.forms import LoginForm, TokenForm
from mesotrack.accounts.selectors import is_staff_member, requires_two_factor


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return reverse("home")


@public
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        auth.login(request, form.get_user())
        if requires_two_factor(form.get_user()):
            return redirect(f"{reverse('accounts:two-factor')}?next={_next_url(request)}")
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@public
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, "You are signed out.")
    return redirect("accounts:login")


@public
def two_factor(request: HttpRequest) -> HttpResponse:
    """Verify the second factor, or enrol an authenticator app on first use."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    user = request.user
    confirmed = services.confirmed_totp_device(user=user)
    form = TokenForm(request.POST or None)
    if confirmed is not None:
        if request.method == "POST" and form.is_valid():
            allowed, _ = confirmed.verify_is_allowed()
            if not allowed:
                form.add_error("token", "Too many wrong codes. Wait a few seconds, then try again.")
            elif confirmed.verify_token(form.cleaned_data["token"]):
                otp_login(request, confirmed)
                return redirect(_next_url(request))
            else:
                form.add_error("token", "That code is wrong or has expired. Try the current one.")
        return render(
            request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
        )
    device = services.totp_device_for_enrolment(user=user)
    if request.method == "POST" and form.is_valid():
        if services.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up.")
            return redirect(_next_url(request))
        form.add_error("token", "That code does not match. Check the app shows MesoTrack.")
    context: dict[str, Any] = {
        "form": form,
        "next": _next_url(request),
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret": base64.b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@public
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    if is_staff_member(request.user):
        return redirect("patients:list")
    return render(request, "accounts/no_access.html")


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)
