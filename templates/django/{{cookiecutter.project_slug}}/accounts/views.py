from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.views.generic import CreateView

from . import limits
from .forms import SignUpForm


class SignUpView(CreateView):
    """Create an account and log the new user in."""

    form_class = SignUpForm
    template_name = "registration/signup.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        login(self.request, self.object)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, sending a limited number of mails per address and client."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        address_ok = limits.hit("mail_per_address", email)
        client_ok = limits.hit("mail_per_client", limits.client_address(self.request))
        if address_ok and client_ok:
            return super().form_valid(form)
        # Past a limit the page answers as always, so it reveals nothing, and sends nothing.
        return HttpResponseRedirect(self.get_success_url())
