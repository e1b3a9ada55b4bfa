from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache

from cte_portal.core.shortcuts import confirm_page
from cte_portal.users import forms, second_factor, services, throttling
from cte_portal.users.models import ApiToken

_NEW_KEY_SESSION = "new_api_key"


class LoginView(auth_views.LoginView):
    """Password sign-in (and the way to ProConnect when it is on). A national admin's password
    leads to the second-factor step, not to a signed-in session."""

    form_class = forms.LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(proconnect_enabled=settings.PROCONNECT_ENABLED, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.required_for(user):
            second_factor.begin(
                self.request, user=user, backend=user.backend, next_url=self.get_success_url()
            )
            return redirect("second_factor")
        return super().form_valid(form)


def admin_login(request):
    """The admin site's login page: the portal's, so that it is throttled and asks admins for
    their second factor like every sign-in."""
    if request.user.is_authenticated:
        # Signed in but not allowed into the admin: sending them to the sign-in page would loop.
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


@never_cache
def second_factor_step(request):
    """The code of a national admin's authenticator app; the first time, the enrolment."""
    user = second_factor.pending_user(request)
    if user is None:
        messages.info(request, "Votre délai pour saisir le code est dépassé : reconnectez-vous.")
        return redirect("login")
    device = second_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = second_factor.enrolment_device(user)
    form = forms.SecondFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if throttling.is_locked_out(request, user.email):
            form.add_error(None, throttling.lockout_message(request))
        elif second_factor.verify(device=device, token=form.cleaned_data["otp_token"]):
            return redirect(second_factor.complete(request, user=user, device=device))
        else:
            throttling.record_failure(request, user.email)
            form.add_error(
                "otp_token",
                throttling.lockout_message(request)
                if getattr(request, "axes_locked_out", False)
                else "Code incorrect ou expiré : saisissez le code affiché en ce moment.",
            )
    context = {"title": "Vérification en deux étapes", "form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_code"] = second_factor.qr_code_data_uri(device)
        context["secret"] = second_factor.secret(device)
    return render(request, "users/second_factor.html", context)


class RevokeTokensOnPasswordMixin:
    def revoke_tokens_if_asked(self, form) -> None:
        if form.cleaned_data.get("revoke_api_tokens"):
            count = services.revoke_all_api_tokens(user=form.user)
            if count:
                messages.info(
                    self.request,
                    f"{count} jeton{'s' if count > 1 else ''} d'API révoqué{'s' if count > 1 else ''}.",
                )


class PasswordChangeView(RevokeTokensOnPasswordMixin, auth_views.PasswordChangeView):
    form_class = forms.DsfrPasswordChangeForm
    template_name = "users/password_change.html"
    success_url = reverse_lazy("profile")
    extra_context = {"title": "Changer de mot de passe"}

    def form_valid(self, form):
        response = super().form_valid(form)
        self.revoke_tokens_if_asked(form)
        messages.success(self.request, "Votre mot de passe a été changé.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.DsfrPasswordResetForm
    template_name = "users/password_reset.html"
    email_template_name = "users/emails/password_reset.txt"
    subject_template_name = "users/emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}

    def form_valid(self, form):
        refusal = throttling.password_reset_refusal(self.request, form.cleaned_data["email"])
        if refusal:
            form.add_error(None, refusal)
            return self.form_invalid(form)
        # The link points at SITE_URL, never at the Host header of the request.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"
    extra_context = {"title": "Courriel envoyé"}


class PasswordResetConfirmView(RevokeTokensOnPasswordMixin, auth_views.PasswordResetConfirmView):
    form_class = forms.DsfrSetPasswordForm
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"title": "Nouveau mot de passe"}

    def form_valid(self, form):
        response = super().form_valid(form)
        self.revoke_tokens_if_asked(form)
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """An invited person chooses their password (the link of ``services.invite_user``), then
    signs in: the token is Django's password-reset token, spent once the password is set."""

    form_class = forms.DsfrSetPasswordForm
    template_name = "users/invitation.html"
    success_url = reverse_lazy("login")
    extra_context = {"title": "Choisir mon mot de passe"}

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Votre mot de passe est enregistré : connectez-vous avec votre adresse électronique.",
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "users/password_reset_complete.html"
    extra_context = {"title": "Mot de passe réinitialisé"}


def profile(request):
    if request.method == "POST":
        form = forms.ApiTokenForm(request.POST)
        if form.is_valid():
            token, key = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"]
            )
            request.session[_NEW_KEY_SESSION] = {"id": token.pk, "key": key}
            return redirect("profile")
    else:
        form = forms.ApiTokenForm()
    new_key = request.session.pop(_NEW_KEY_SESSION, None)
    return render(
        request,
        "users/profile.html",
        {
            "title": "Mon profil",
            "form": form,
            "tokens": request.user.api_tokens.all(),
            "new_key": new_key,
        },
    )


def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method != "POST":
        if not token.is_active:
            messages.info(request, f"Le jeton « {token.name} » est déjà révoqué.")
            return redirect("profile")
        return confirm_page(
            request,
            title="Révoquer un jeton d'API",
            question=f"Révoquer le jeton « {token.name} » ?",
            details=[
                f"Les programmes et tableurs qui utilisent ce jeton (clé commençant par "
                f"{token.prefix}…) perdent aussitôt l'accès à l'API du portail.",
                "La révocation est définitive : pour leur rendre l'accès, il faudra créer un "
                "nouveau jeton et leur donner sa clé.",
            ],
            submit="Révoquer le jeton",
            cancel_url=reverse("profile"),
            breadcrumb=[("Mon profil", reverse("profile")), ("Révoquer un jeton", None)],
        )
    services.revoke_api_token(token=token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("profile")
