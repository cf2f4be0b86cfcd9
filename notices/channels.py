"""Ways out of the inbox. A channel names a user's address on it and sends one delivery; it
raises OSError or smtplib.SMTPException when it cannot now, and is tried again later."""

from django.conf import settings
from django.core.mail import EmailMessage


class EmailChannel:
    def address(self, user) -> str:
        return user.email

    def send(self, delivery) -> None:
        notice = delivery.notice
        body = notice.text
        if notice.url:
            body += f"\n\n{settings.SITE_URL}{notice.url}"
        body += "\n\n-- \nMusrenbang Kota Administrasi Jakarta Pusat"
        EmailMessage(subject=notice.subject, body=body, to=[delivery.address]).send(
            fail_silently=False
        )
