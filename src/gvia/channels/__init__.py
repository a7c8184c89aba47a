"""Channels: how a message leaves gvia (SMTP e-mail, the local mail catcher, print)."""
