"""How a short text leaves: SMS through 019 (019sms.co.il) or Twilio, WhatsApp through the
WhatsApp Business Cloud API, over HTTPS with an honest account of what happened (the same
:class:`gvia.channels.smtp.SendError` kinds as e-mail: temporary, permanent, uncertain), and the
checks of the providers' webhook signatures.

Each adapter ``prepare``\\ s a request (what the provider gets, without its credentials, is the
proof the dispatcher keeps) and then ``send``\\ s it; :mod:`.http` classifies what happened.
"""
