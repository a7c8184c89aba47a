"""Channels: how a message leaves gvia (SMTP e-mail, the local mail catcher, print; SMS and
WhatsApp through their providers' HTTP APIs, :mod:`gvia.channels.sms`) and how replies come
back (the reply mailbox over IMAP, the SMS and WhatsApp providers' signed webhooks)."""
