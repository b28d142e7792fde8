from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views import View
from django.views.generic import FormView

from . import limits
from .forms import BackgroundPasswordResetForm, EmailForm, SignUpForm
from .mail import confirmation_token, send_already_registered, send_confirmation
from .models import User


def account_with_email(email):
    """The account that has this address, in any case, or None."""
    return User.objects.filter(email__iexact=email).first()


class SignUpView(FormView):
    """Create an account that can log in once its address is confirmed.

    A new address and one in use get the same page; the mail differs: a confirmation
    link for a new account, a note to the owner of an existing one.
    """

    form_class = SignUpForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("signup_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        existing = account_with_email(email)
        if existing is None:
            user = form.save(commit=False)
            user.email_unconfirmed = True
            try:
                with transaction.atomic():
                    user.save()
            except IntegrityError:  # the same address signed up a moment ago
                existing = account_with_email(email)
            else:
                if limits.mail_allowed(self.request, email):
                    send_confirmation(self.request, user)
                return super().form_valid(form)
        else:
            # Hash the password anyway, so both answers take the same time.
            make_password(form.cleaned_data["password1"])
        if existing is not None and limits.mail_allowed(self.request, email):
            if existing.email_unconfirmed:
                send_confirmation(self.request, existing)
            else:
                send_already_registered(self.request, existing)
        return super().form_valid(form)


class SignUpConfirmView(View):
    """The mailed link: a button (a POST, so mail scanners do not confirm) that confirms."""

    template_name = "registration/signup_confirm.html"

    def user(self, uidb64, token):
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
        except (ValueError, OverflowError, User.DoesNotExist):
            return None
        return user if confirmation_token.check_token(user, token) else None

    def get(self, request, uidb64, token):
        valid = self.user(uidb64, token) is not None
        return render(request, self.template_name, {"valid": valid})

    def post(self, request, uidb64, token):
        user = self.user(uidb64, token)
        if user is None:
            return render(request, self.template_name, {"valid": False})
        user.email_unconfirmed = False
        user.save(update_fields=["email_unconfirmed"])
        messages.success(request, "Your address is confirmed: log in.")
        return redirect("login")


class SignUpResendView(FormView):
    """Mail a new confirmation link; the answer is the same for any address."""

    form_class = EmailForm
    template_name = "registration/signup_resend.html"
    success_url = reverse_lazy("signup_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        user = account_with_email(email)
        if user is not None and user.email_unconfirmed:
            if limits.mail_allowed(self.request, email):
                send_confirmation(self.request, user)
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, mailing in the background, a limited number of times."""

    form_class = BackgroundPasswordResetForm

    def form_valid(self, form):
        if limits.mail_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        # Past a limit the page answers as always, so it reveals nothing, and sends nothing.
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password page; the mailed link also proves the address is theirs."""

    def form_valid(self, form):
        form.user.email_unconfirmed = False
        return super().form_valid(form)
