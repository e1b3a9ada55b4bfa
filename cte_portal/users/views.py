from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from cte_portal.users import forms, services
from cte_portal.users.models import ApiToken

_NEW_KEY_SESSION = "new_api_key"


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "users/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Se connecter"}


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.DsfrPasswordChangeForm
    template_name = "users/password_change.html"
    success_url = reverse_lazy("profile")
    extra_context = {"title": "Changer de mot de passe"}

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été changé.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.DsfrPasswordResetForm
    template_name = "users/password_reset.html"
    email_template_name = "users/emails/password_reset.txt"
    subject_template_name = "users/emails/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"title": "Mot de passe oublié"}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "users/password_reset_done.html"
    extra_context = {"title": "Courriel envoyé"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.DsfrSetPasswordForm
    template_name = "users/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")
    extra_context = {"title": "Nouveau mot de passe"}


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


@require_POST
def revoke_token(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token)
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("profile")
