"""Test clients signed in as a given person (one helper for every suite)."""


def login(client, user):
    """``client``, signed in as ``user`` (no password round-trip: the login form has its own
    tests)."""
    client.force_login(user)
    return client
