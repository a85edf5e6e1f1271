"""Channels that reach the user: the local web chat now; Telegram and WhatsApp later."""
