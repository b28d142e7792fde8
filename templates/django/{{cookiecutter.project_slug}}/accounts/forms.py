from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    UserCreationForm,
)
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from .limits import login_blocked
from .mail import send_later
from .models import User


class SignUpForm(UserCreationForm):
    """Sign-up form for the custom user model, with an email for password resets."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Password reset mails a link, so every account needs an address.
        self.fields["email"].required = True

    def clean_username(self):
        """No @, so that a username is never taken for someone's address at login."""
        username = self.cleaned_data["username"]
        if "@" in username:
            raise forms.ValidationError("A username cannot contain @.")
        return username

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"])

    def _get_validation_exclusions(self):
        # An address in use is no error on the page, which would tell anyone who has
        # an account: the sign-up view mails the address's owner instead.
        return {*super()._get_validation_exclusions(), "email"}


class LoginForm(AuthenticationForm):
    """Django's login form; the name may be a username or an email address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email"

    def clean(self):
        # Say why the right password is refused; a name without an account is
        # locked the same way, so this tells nobody which names exist.
        if login_blocked(self.request, self.cleaned_data.get("username")):
            raise forms.ValidationError(
                "Too many failed logins for this account or from your address. "
                "Try again later.",
                code="locked",
            )
        return super().clean()


class EmailForm(forms.Form):
    """An address to mail a new confirmation link to."""

    email = forms.EmailField(max_length=254)


class BackgroundPasswordResetForm(PasswordResetForm):
    """Django's reset form, mailing outside the response's time."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = loader.render_to_string(subject_template_name, context)
        subject = "".join(subject.splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        send_later(message)
