"""The command lines the runner starts Rasa with."""

from dataclasses import replace

import pytest
from rasa.__main__ import create_argument_parser

from bot.config import Settings
from bot.runner import rasa_commands


@pytest.mark.parametrize("token", ["-starts-with-a-dash", "--looks-like-an-option", "plain_token"])
def test_rasa_reads_any_generated_token_as_the_auth_token(token):
    """token_urlsafe may start with "-": Rasa must still read it as the token (1 start in 64 failed)."""
    command = rasa_commands(replace(Settings.from_env(), rasa_token=token))["rasa"]

    arguments = create_argument_parser().parse_args(command[1:])

    assert arguments.auth_token == token
    assert arguments.enable_api
    assert arguments.interface == "127.0.0.1"
